using System.Globalization;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Agent.Isolation;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Tests.Agent;

/// <summary><c>--recover=cleanup</c> with cgroups: the tasks a stopped agent left running go, daemons included, with their cgroups.</summary>
public sealed class RecoverCleanupTests : IAsyncLifetime
{
    private readonly TempDirectory _workDir = new();
    private FakeMaster _master = null!;

    public async Task InitializeAsync() => _master = await FakeMaster.StartAsync();

    public async Task DisposeAsync()
    {
        await _master.DisposeAsync();
        _workDir.Dispose();
    }

    [CgroupsFact]
    public async Task Cleanup_TaskLeftRunningWithADaemon_KillsBothAndRemovesItsCgroups()
    {
        var options = new AgentOptions
        {
            Masters = [_master.Address],
            WorkDir = _workDir.Path,
            Resources = ResourceSet.Parse("cpus:1;mem:256"),
            Port = 0,
            Ip = "127.0.0.1",
            Isolation = "cgroups/cpu,cgroups/mem",
            KillTasksOnStop = false,
        };
        var marker = "1000." + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var agent = await AgentRuntime.StartAsync(options);
        await agent.WaitForRegistrationAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _master.Service.Send(new MasterToAgent
        {
            RunTask = new MasterToAgent.Types.RunTask
            {
                FrameworkInfo = new FrameworkInfo { Id = "fw-1", Name = "f", User = "root" },
                Task = new TaskInfo { TaskId = "left", Name = "left", Command = new CommandInfo { Value = $"(setsid sleep {marker} &) ; sleep {marker}" } },
                ExecutorId = "left",
            },
        });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await CgroupsIsolationTests.Pgrep($"^sleep {marker}")).Count < 2)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the task and its daemon never ran");
            await Task.Delay(50);
        }

        await agent.StopAsync();
        Assert.Equal(2, (await CgroupsIsolationTests.Pgrep($"^sleep {marker}")).Count);
        var memoryRoot = CgroupsMounts.Detect(options.CgroupsRoot).Roots["memory"];
        var containers = Directory.GetDirectories(memoryRoot)
            .Where(d => File.ReadAllLines(Path.Combine(d, "cgroup.procs")).Length > 0
                && File.ReadAllLines(Path.Combine(d, "cgroup.procs")).Any(p => File.Exists($"/proc/{p}/cmdline") && File.ReadAllText($"/proc/{p}/cmdline").Contains(marker, StringComparison.Ordinal)))
            .ToList();
        var container = Assert.Single(containers);

        var killed = AgentRuntime.Cleanup(options, NullLogger.Instance);

        Assert.Equal(1, killed);
        Assert.Empty(await CgroupsIsolationTests.Pgrep($"^sleep {marker}"));
        Assert.False(Directory.Exists(container), "the container's cgroup outlived the cleanup");
    }
}
