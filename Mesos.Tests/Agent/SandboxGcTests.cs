using CsCheck;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Agent.GarbageCollection;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using Mesos.Tests.Integration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mesos.Tests.Agent;

/// <summary>Sandbox garbage collection as Mesos' agent does it: after --gc_delay, sooner as the disk fills.</summary>
public sealed class SandboxGcTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void AssertClose(TimeSpan expected, TimeSpan actual) =>
        Assert.True((expected - actual).Duration() < TimeSpan.FromMilliseconds(1), $"expected {expected}, got {actual}");

    private sealed class FakeDiskUsage(double usage) : IDiskUsage
    {
        public double Value { get; set; } = usage;

        public double Usage(string path) => Value;
    }

    [Theory]
    [InlineData(0.0, 0.1, 0.9)]
    [InlineData(0.5, 0.1, 0.4)]
    [InlineData(0.9, 0.1, 0.0)]
    [InlineData(0.97, 0.1, 0.0)]
    [InlineData(0.5, 0.0, 0.5)]
    [InlineData(0.2, 1.0, 0.0)]
    public void MaxAllowedAge_IsGcDelayTimesTheHeadroomLeft(double usage, double headroom, double fraction)
    {
        AssertClose(Week * fraction, GcPolicy.MaxAllowedAge(Week, headroom, usage));
        AssertClose(Week - (Week * fraction), GcPolicy.PruneWindow(Week, headroom, usage));
    }

    [Fact]
    public void Schedule_PathIsDueAtItsTimeAndNotATickBefore()
    {
        var schedule = new GcSchedule();
        schedule.Schedule("/a", T0 + Week);
        schedule.Schedule("/b", T0 + Week + TimeSpan.FromHours(1));

        Assert.Empty(schedule.TakeDue(T0 + Week - TimeSpan.FromTicks(1)));
        Assert.Equal(["/a"], schedule.TakeDue(T0 + Week));
        Assert.Equal(T0 + Week + TimeSpan.FromHours(1), schedule.NextRemoval);
        Assert.Equal(["/b"], schedule.TakeDue(T0 + (2 * Week)));
        Assert.Null(schedule.NextRemoval);
    }

    [Fact]
    public void Schedule_AgainKeepsTheLaterTime_AndUnscheduleKeepsThePath()
    {
        var schedule = new GcSchedule();
        schedule.Schedule("/a", T0 + Week);
        schedule.Schedule("/a", T0);
        Assert.Equal(T0 + Week, schedule.RemovalOf("/a"));

        Assert.True(schedule.Unschedule("/a"));

        Assert.Empty(schedule.TakeDue(T0 + (3 * Week)));
        Assert.False(schedule.Unschedule("/a"));
    }

    [Fact]
    public void Prune_RemovesExactlyWhatIsAtLeastTheAllowedAgeOld()
    {
        // Paths scheduled at random moments of the last week; at a random disk usage, the pruned ones are those
        // finished at least MaxAllowedAge ago, as Mesos' comment on _checkDiskUsage says.
        Gen.Select(Gen.Int[0, 7 * 24 * 60].Array[1, 30], Gen.Double[0.0, 1.0], Gen.Double[0.0, 1.0]).Sample((minutesAgo, usage, headroom) =>
        {
            var now = T0 + Week;
            var schedule = new GcSchedule();
            for (var i = 0; i < minutesAgo.Length; i++)
            {
                schedule.Schedule("/p" + i, now - TimeSpan.FromMinutes(minutesAgo[i]) + Week);
            }

            var pruned = schedule.Take(now, GcPolicy.PruneWindow(Week, headroom, usage)).ToHashSet();

            var age = GcPolicy.MaxAllowedAge(Week, headroom, usage);
            for (var i = 0; i < minutesAgo.Length; i++)
            {
                Assert.Equal(TimeSpan.FromMinutes(minutesAgo[i]) >= age, pruned.Contains("/p" + i));
            }
        }, iter: 200);
    }

    [Fact]
    public async Task Collector_RemovesAScheduledDirectoryAfterGcDelay()
    {
        var time = new FakeTimeProvider(T0);
        var disk = new FakeDiskUsage(0.0);
        // No headroom and an empty disk: the allowed age is all of gc_delay.
        await using var gc = new SandboxGarbageCollector(_dir.Path, Week, 0.0, TimeSpan.FromMinutes(1), disk, time, NullLogger.Instance);
        var sandbox = Directory.CreateDirectory(Path.Combine(_dir.Path, "slaves", "S0", "frameworks", "F", "executors", "E")).FullName;
        File.WriteAllText(Path.Combine(sandbox, "stdout"), "done");

        gc.Schedule(sandbox);
        time.Advance(Week - TimeSpan.FromMinutes(1));
        Assert.True(Directory.Exists(sandbox), "removed before gc_delay with an empty disk");

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(Directory.Exists(sandbox));
        Assert.Equal(0, gc.Scheduled);
    }

    [Fact]
    public async Task Collector_WithMesosDefaultHeadroom_RemovesAtNineTenthsOfGcDelayOnAnEmptyDisk()
    {
        var time = new FakeTimeProvider(T0);
        await using var gc = new SandboxGarbageCollector(_dir.Path, TimeSpan.FromDays(10), 0.1, TimeSpan.FromMinutes(1), new FakeDiskUsage(0.0), time, NullLogger.Instance);
        var sandbox = Directory.CreateDirectory(Path.Combine(_dir.Path, "sandbox")).FullName;
        gc.Schedule(sandbox);

        time.Advance(TimeSpan.FromDays(9) - TimeSpan.FromMinutes(2));
        Assert.True(Directory.Exists(sandbox));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(Directory.Exists(sandbox));
    }

    [Fact]
    public async Task Collector_WhenTheDiskFills_RemovesWhatIsOlderThanTheShrunkenAge_AtTheNextDiskCheck()
    {
        var time = new FakeTimeProvider(T0);
        var disk = new FakeDiskUsage(0.0);
        await using var gc = new SandboxGarbageCollector(_dir.Path, Week, 0.1, TimeSpan.FromMinutes(1), disk, time, NullLogger.Instance);
        var old = Directory.CreateDirectory(Path.Combine(_dir.Path, "old")).FullName;
        var young = Directory.CreateDirectory(Path.Combine(_dir.Path, "young")).FullName;
        gc.Schedule(old);
        time.Advance(TimeSpan.FromDays(4));
        gc.Schedule(young);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(Directory.Exists(old) && Directory.Exists(young));

        // 60% used: allowed age = 1 week * (1 - 0.1 - 0.6) = 2.1 days; "old" is 4 days old, "young" 1 minute.
        disk.Value = 0.6;
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(Directory.Exists(old));
        Assert.True(Directory.Exists(young));
        AssertClose(Week * 0.3, gc.MaxAllowedAge);

        // Full disk: nothing finished may stay.
        disk.Value = 0.95;
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(Directory.Exists(young));
        Assert.Equal(TimeSpan.Zero, gc.MaxAllowedAge);
    }

    [Fact]
    public async Task Collector_UnscheduledDirectoryStays()
    {
        var time = new FakeTimeProvider(T0);
        await using var gc = new SandboxGarbageCollector(_dir.Path, TimeSpan.FromHours(1), 0.1, TimeSpan.FromMinutes(1), new FakeDiskUsage(0.99), time, NullLogger.Instance);
        var reused = Directory.CreateDirectory(Path.Combine(_dir.Path, "reused")).FullName;
        gc.Schedule(reused);

        gc.Unschedule(reused);
        time.Advance(TimeSpan.FromHours(2));

        Assert.True(Directory.Exists(reused));
    }

    [Fact]
    public async Task Agent_FinishedTasksSandboxAndMeta_AreRemovedAfterGcDelay_AndAtOnceWhenTheDiskIsFull()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        var disk = new FakeDiskUsage(0.0);
        var workDir = Path.Combine(_dir.Path, "agent");
        await using var agent = await AgentRuntime.StartAsync(new AgentOptions
        {
            Masters = [$"127.0.0.1:{master.Port}"],
            WorkDir = workDir,
            Resources = ResourceSet.Parse("cpus:2;mem:1024;disk:1000;ports:[31000-32000]"),
            Port = 0,
            Ip = "127.0.0.1",
            Hostname = "127.0.0.1",
            RegistrationBackoffFactor = TimeSpan.FromMilliseconds(100),
            StatusUpdateRetryInterval = TimeSpan.FromSeconds(1),
            GcDelay = TimeSpan.FromSeconds(2),
            DiskWatchInterval = TimeSpan.FromHours(1),
            DiskUsage = disk,
        });
        var agentId = await agent.WaitForRegistrationAsync(ct);
        await using var framework = await TestFramework.SubscribeAsync(master, "gc", ct);

        await framework.LaunchAsync("short", "echo done", ct);
        Assert.Equal(TaskState.TaskFinished, (await framework.UpdatesUntilTerminalAsync("short", ct))[^1].State);
        var sandbox = Path.Combine(workDir, "slaves", agentId, "frameworks", framework.Context.FrameworkId, "executors", "short");
        var meta = Path.Combine(workDir, "meta", "slaves", agentId, "frameworks", framework.Context.FrameworkId, "executors", "short");
        Assert.True(Directory.Exists(sandbox));

        while (Directory.Exists(sandbox) || Directory.Exists(meta))
        {
            await Task.Delay(100, ct);
        }
    }

    [Theory]
    [InlineData("--gc_disk_headroom=1.5", "--gc_disk_headroom")]
    [InlineData("--gc_disk_headroom=-0.1", "--gc_disk_headroom")]
    [InlineData("--gc_disk_headroom=lots", "gc_disk_headroom")]
    [InlineData("--gc_delay=1fortnight", "gc_delay")]
    [InlineData("--disk_watch_interval=0secs", "--disk_watch_interval")]
    [InlineData("--disk_watch_interval=often", "disk_watch_interval")]
    public void Flags_BadGcValue_IsAnErrorNamingTheFlag(string flag, string named)
    {
        var error = Assert.Throws<Mesos.Hosting.Flags.FlagError>(() => AgentFlags.Parse(["--master=127.0.0.1:5050", $"--work_dir={_dir.Path}", flag], new Dictionary<string, string>()));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_GcDefaultsAreMesos()
    {
        var options = AgentFlags.Parse(["--master=127.0.0.1:5050", $"--work_dir={_dir.Path}"], new Dictionary<string, string>());

        Assert.Equal(TimeSpan.FromDays(7), options.GcDelay);
        Assert.Equal(0.1, options.GcDiskHeadroom);
        Assert.Equal(TimeSpan.FromMinutes(1), options.DiskWatchInterval);
    }

    [Fact]
    public void Flags_GcValuesAreRead_AlsoFromTheEnvironment()
    {
        var options = AgentFlags.Parse(["--master=127.0.0.1:5050", $"--work_dir={_dir.Path}", "--gc_delay=3days"], new Dictionary<string, string>
        {
            ["MESOS_GC_DISK_HEADROOM"] = "0.25",
            ["MESOS_DISK_WATCH_INTERVAL"] = "10secs",
        });

        Assert.Equal(TimeSpan.FromDays(3), options.GcDelay);
        Assert.Equal(0.25, options.GcDiskHeadroom);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DiskWatchInterval);
    }
}
