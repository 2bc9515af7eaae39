using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Agent.Isolation;
using Mesos.Core.Resources;
using Microsoft.Extensions.Logging;

namespace Mesos.Tests.Agent;

/// <summary>What the agent says about its isolators when it starts, and that it refuses isolators it cannot have.</summary>
public sealed class AgentIsolationStartupTests : IDisposable
{
    private readonly TempDirectory _workDir = new();

    public void Dispose() => _workDir.Dispose();

    private AgentOptions Options(string? isolation) => new()
    {
        Masters = ["127.0.0.1:1"],
        WorkDir = _workDir.Path,
        Resources = ResourceSet.Parse("cpus:1;mem:64"),
        Port = 0,
        Ip = "127.0.0.1",
        Isolation = isolation,
    };

    [CgroupsFact]
    public async Task Start_Default_LogsCgroupsCpuAndMemAsActive()
    {
        using var capture = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(capture));

        await using (await AgentRuntime.StartAsync(Options(null), loggers))
        {
        }

        Assert.Contains(capture.Lines, l => l.StartsWith("Information: Isolators active: cgroups/cpu,cgroups/mem (cgroups V", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_Posix_LogsPosixAsActive()
    {
        using var capture = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(capture));

        await using (await AgentRuntime.StartAsync(Options("posix/cpu,posix/mem"), loggers))
        {
        }

        Assert.Contains("Information: Isolators active: posix/cpu,posix/mem", capture.Lines);
    }

    [Fact]
    public async Task Start_UnknownIsolator_FailsBeforeAnythingStarts()
    {
        var error = await Assert.ThrowsAsync<IsolationException>(() => AgentRuntime.StartAsync(Options("cgroups/cpu,gpu/nvidia")));

        Assert.Contains("'gpu/nvidia'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_workDir.Path, "slaves")));
    }
}
