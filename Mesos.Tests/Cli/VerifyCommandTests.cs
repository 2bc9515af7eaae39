using Mesos.Core.Allocation;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.EventLog.Snapshots;
using Mesos.EventLog.Sqlite;
using Mesos.Tests.Core.Allocation;
using Mesos.Protocol.V1;
using Mesos.Tests.EventLog;

namespace Mesos.Tests.Cli;

public sealed class VerifyCommandTests
{
    private static async Task<string> WriteAsync(TempDirectory directory, string name, IReadOnlyList<ClusterEvent> events)
    {
        var path = directory.File(name);
        await using var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None);
        await log.AppendAsync(events, expectedPosition: 0, CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task RecordedLog_AllCyclesMatch()
    {
        using var directory = new TempDirectory();
        var events = RecordedRun.Events();
        var path = await WriteAsync(directory, "registry.db", events);

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["verify", "--log", path]);

        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.StartsWith($"all {events.OfType<AllocationCycleRan>().Count()} cycles match", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedLog_NamesTheFirstCycleThatDiffers()
    {
        using var directory = new TempDirectory();
        var tampered = RecordedRun.Tampered(RecordedRun.Events(), 9, out var cycle);
        var path = await WriteAsync(directory, "tampered.db", tampered);

        var (exitCode, stdout, _) = await CliRunner.RunAsync(["verify", "--log", path]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"cycle {cycle} ", stdout, StringComparison.Ordinal);
        Assert.Contains("differs: offer", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogOfAMasterWithAnotherMinAllocatable_AllCyclesMatch_AndTamperingNamesTheCycle()
    {
        // The larger minimum keeps the small agent out of every offer; re-run with the default, it would be offered.
        const string minimum = "cpus:1;mem:512";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string logPath;
        string smallId;
        await using (var master = await Integration.TestMaster.StartAsync(configure: o => o with { MinAllocatableResources = MinimumAllocatable.Parse(minimum) }))
        {
            var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
            using var large = agents.Attach(new AttachRequest { AgentInfo = Integration.MasterProtocolTests.AgentInfo("cpus:4;mem:2048") }, cancellationToken: cts.Token);
            Assert.True(await large.ResponseStream.MoveNext(cts.Token));
            var smallInfo = Integration.MasterProtocolTests.AgentInfo("cpus:0.5;mem:256");
            smallInfo.Port = 5052;
            using var small = agents.Attach(new AttachRequest { AgentInfo = smallInfo }, cancellationToken: cts.Token);
            Assert.True(await small.ResponseStream.MoveNext(cts.Token));
            smallId = small.ResponseStream.Current.Registered.AgentId;

            await using var framework = await Integration.TestFramework.SubscribeAsync(master, "verified", cts.Token);
            var offer = await framework.NextOfferAsync(cts.Token);
            Assert.Equal(large.ResponseStream.Current.Registered.AgentId, offer.AgentId);
            logPath = Path.Combine(master.WorkDir, "registry.db");
        }

        await using (var log = await SqliteEventLog.OpenAsync(logPath, CancellationToken.None))
        {
            var recorded = new List<ClusterEvent>();
            await foreach (var e in log.ReadAsync(0, CancellationToken.None))
            {
                recorded.Add(e.Event);
            }

            Assert.Equal(minimum, Assert.Single(recorded.OfType<AllocatorConfigured>()).MinAllocatableResources);
            Assert.DoesNotContain(recorded.OfType<OfferMade>(), o => o.AgentId.Value == smallId);
        }

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["verify", "--log", logPath]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Matches("^all [1-9][0-9]* cycles match", stdout);

        using var directory = new TempDirectory();
        var events = new List<ClusterEvent>();
        await using (var log = await SqliteEventLog.OpenAsync(logPath, CancellationToken.None))
        {
            await foreach (var e in log.ReadAsync(0, CancellationToken.None))
            {
                events.Add(e.Event);
            }
        }

        var tampered = RecordedRun.Tampered(events, 1, out var cycle);
        var tamperedPath = await WriteAsync(directory, "tampered.db", tampered);
        var (tamperedExit, tamperedOut, _) = await CliRunner.RunAsync(["verify", "--log", tamperedPath]);
        Assert.Equal(1, tamperedExit);
        Assert.StartsWith($"cycle {cycle} ", tamperedOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredSnapshots_AreCheckedAgainstTheFullReplay()
    {
        using var directory = new TempDirectory();
        var events = RecordedRun.Events();
        var path = await WriteAsync(directory, "snapshots.db", events);
        await using (var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None))
        {
            var at = events.Count / 2;
            await log.SaveSnapshotAsync(SnapshotCodec.Encode(ClusterFold.ApplyAll(ClusterState.Empty, events.Take(at)), at, DateTimeOffset.UnixEpoch), keep: 2, CancellationToken.None);
        }

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["verify", "--log", path]);

        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("all 1 snapshots equal the full replay at their positions", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SnapshotOfAnotherState_IsNamedAndFailsTheCheck()
    {
        using var directory = new TempDirectory();
        var events = RecordedRun.Events();
        var path = await WriteAsync(directory, "wrong.db", events);
        var at = events.Count / 2;
        await using (var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None))
        {
            // Intact and self-consistent, but not the state the log folds to at its position.
            await log.SaveSnapshotAsync(SnapshotCodec.Encode(ClusterFold.ApplyAll(ClusterState.Empty, events.Take(1)), at, DateTimeOffset.UnixEpoch), keep: 2, CancellationToken.None);
        }

        var (exitCode, stdout, _) = await CliRunner.RunAsync(["verify", "--log", path]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"The snapshot at log position {at} differs from the full replay", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingLog_OneLineError()
    {
        using var directory = new TempDirectory();

        var (exitCode, _, stderr) = await CliRunner.RunAsync(["verify", "--log", directory.File("none.db")]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("No event log", stderr, StringComparison.Ordinal);
    }
}
