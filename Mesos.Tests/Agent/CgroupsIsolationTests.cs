using System.Diagnostics;
using System.Globalization;
using Mesos.Agent.Containerizer;
using Mesos.Agent.Isolation;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

public sealed class CgroupsIsolationTests : IDisposable
{
    private readonly TempDirectory _workDir = new();

    public void Dispose() => _workDir.Dispose();

    private static CgroupsContainerizer Containerizer() => new(CgroupsAvailability.Config!);

    [CgroupsFact]
    public async Task Run_HalfACpuBurningLoop_IsHeldNearHalfACore()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "while :; do :; done").WithScalars(("cpus", 0.5), ("mem", 64));
        var executor = TaskLaunches.Executor(launch, collector, Containerizer());
        var run = executor.RunAsync(CancellationToken.None);
        await collector.WaitForAsync(s => s.State == TaskState.TaskRunning, TimeSpan.FromSeconds(30));
        var cgroups = ((CgroupsContainer)executor.Container!).Cgroups;
        var cpuacct = Path.Combine(CgroupsAvailability.Config!.Cgroups!.Roots["cpuacct"], executor.ContainerId);

        Assert.Equal("50000", (await File.ReadAllTextAsync(Path.Combine(CgroupsAvailability.Config.Cgroups.Roots["cpu"], executor.ContainerId, "cpu.cfs_quota_us"))).Trim());
        Assert.Equal("512", (await File.ReadAllTextAsync(Path.Combine(CgroupsAvailability.Config.Cgroups.Roots["cpu"], executor.ContainerId, "cpu.shares"))).Trim());
        var before = ReadUsageNanoseconds(cpuacct);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var cores = (ReadUsageNanoseconds(cpuacct) - before) / (clock.Elapsed.TotalMilliseconds * 1e6);
        var usage = cgroups.Usage();
        executor.Kill(null);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        // The quota caps it at 0.5 of a core per 100 ms period; a busy machine may give it less, never more. Given
        // more than 0.45, it must have reached its quota in some period and been throttled there.
        Assert.InRange(cores, 0.01, 0.6);
        Assert.True(usage.CpusNrThrottled > 0 || cores < 0.45, $"the CFS quota never throttled the loop ({usage}, {cores:0.00} cores)");
        Assert.False(Directory.Exists(cpuacct), "the container's cgroup outlived it");
    }

    [CgroupsFact]
    public async Task Run_AllocatingFourTimesItsMemory_FailsWithMemoryLimitation()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "dd if=/dev/zero of=/dev/null bs=256M count=1").WithScalars(("cpus", 0.5), ("mem", 64));
        var executor = TaskLaunches.Executor(launch, collector, Containerizer());

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var terminal = collector.Statuses[^1];
        Assert.Equal(TaskState.TaskFailed, terminal.State);
        Assert.Equal(TaskStatus.Types.Reason.ContainerLimitationMemory, terminal.Reason);
        Assert.StartsWith("Memory limit exceeded: Requested: 64MB", terminal.Message, StringComparison.Ordinal);
        Assert.Equal(TaskStatus.Types.Source.Agent, terminal.Source);
    }

    [CgroupsFact]
    public async Task Run_WithinItsMemory_Finishes()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "dd if=/dev/zero of=/dev/null bs=8M count=1").WithScalars(("mem", 64));
        var executor = TaskLaunches.Executor(launch, collector, Containerizer());

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(TaskState.TaskFinished, collector.Statuses[^1].State);
    }

    [CgroupsFact]
    public async Task Kill_TaskWithDaemonizedGrandchild_LeavesNoProcess()
    {
        // A marker only this test's sleeps carry, so pgrep sees nothing of other tests.
        var marker = "1000." + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, $"(setsid sleep {marker} &) ; sleep {marker}").WithScalars(("cpus", 0.1), ("mem", 32));
        var executor = TaskLaunches.Executor(launch, collector, Containerizer());
        var run = executor.RunAsync(CancellationToken.None);
        await collector.WaitForAsync(s => s.State == TaskState.TaskRunning, TimeSpan.FromSeconds(30));
        await WaitUntilAsync(async () => (await Pgrep($"^sleep {marker}")).Count == 2);
        var daemon = (await Pgrep($"^sleep {marker}")).Single(pid => ProcessTable.ProcessGroupOf(pid) != executor.Container!.ProcessGroupId);

        executor.Kill(null);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TaskKilled, collector.Statuses[^1].State);
        Assert.Empty(await Pgrep($"^sleep {marker}"));
        Assert.NotEqual(executor.Container!.ProcessGroupId, ProcessTable.ProcessGroupOf(daemon) ?? executor.Container.ProcessGroupId + 1);
        Assert.False(((CgroupsContainer)executor.Container).Cgroups.Exists);
    }

    [CgroupsFact]
    public async Task Run_FinishingTaskLeavingADaemon_TakesTheDaemonWithIt()
    {
        var marker = "1000." + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, $"(setsid sleep {marker} &); sleep 0.5").WithScalars(("mem", 32));
        var executor = TaskLaunches.Executor(launch, collector, Containerizer());

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TaskFinished, collector.Statuses[^1].State);
        Assert.Empty(await Pgrep($"^sleep {marker}"));
    }

    [Fact]
    public void Resolve_UnknownIsolator_IsAnErrorNamingIt()
    {
        var error = Assert.Throws<IsolationException>(() => IsolationConfig.Resolve("cgroups/cpu,network/cni", false, NoCgroups));

        Assert.Contains("'network/cni'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_CgroupsAskedForWhereThereAreNone_IsAnErrorNotADowngrade()
    {
        var error = Assert.Throws<IsolationException>(() => IsolationConfig.Resolve("cgroups/mem", false, NoCgroups));

        Assert.Contains("'cgroups/mem' is not supported on this machine", error.Message, StringComparison.Ordinal);
        Assert.Contains("memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_DefaultWithoutCgroups_FallsBackToPosixAndSaysWhy()
    {
        var config = IsolationConfig.Resolve(null, false, NoCgroups);

        Assert.Equal("posix/cpu,posix/mem", config.ToString());
        Assert.False(config.UsesCgroups);
        Assert.Contains("no cgroup v1 hierarchy", config.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PosixAskedFor_NeedsNoCgroups()
    {
        var config = IsolationConfig.Resolve("posix/cpu,posix/mem", false, () => throw new InvalidOperationException("must not probe"));

        Assert.Equal(["posix/cpu", "posix/mem"], config.Isolators);
        Assert.False(config.UsesCgroups);
    }

    [CgroupsFact]
    public void Resolve_DefaultOnThisMachine_IsCgroupsCpuAndMem()
    {
        var config = IsolationConfig.Resolve(null, false, () => CgroupsMounts.Detect("mesos-tests"));

        Assert.Equal("cgroups/cpu,cgroups/mem", config.ToString());
        Assert.True(config.UsesCgroups);
    }

    private static CgroupsMounts NoCgroups()
    {
        using var dir = new TempDirectory();
        var empty = Path.Combine(dir.Path, "empty");
        File.WriteAllText(empty, string.Empty);
        return CgroupsMounts.Detect("mesos", empty, empty);
    }

    private static long ReadUsageNanoseconds(string cpuacct) =>
        long.Parse(File.ReadAllText(Path.Combine(cpuacct, "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture);

    internal static async Task<IReadOnlyList<int>> Pgrep(string pattern)
    {
        var start = new ProcessStartInfo("pgrep") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(pattern);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "condition not met within 30 s");
            await Task.Delay(20);
        }
    }
}
