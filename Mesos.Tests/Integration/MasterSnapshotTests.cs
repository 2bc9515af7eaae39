using Mesos.Core.Commands;
using Mesos.Core.State;
using Mesos.EventLog.Snapshots;
using Mesos.EventLog.Sqlite;
using Mesos.Master.Recovery;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Integration;

/// <summary>The leader writes snapshots every <c>--snapshot_interval</c> events, and a restart starts from the newest.</summary>
public sealed class MasterSnapshotTests
{
    [Fact]
    public async Task Leader_WritesSnapshotsEveryInterval_EachEqualToTheFoldOfItsPrefix_AndRestartsFromTheNewest()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var workDir = TempDirectory.Create("snapshots");
        await using (var master = await TestMaster.StartAsync(workDir, o => o with { SnapshotInterval = 5 }))
        {
            for (var i = 0; i < 12; i++)
            {
                var registered = await master.Server.Loop.SubmitAsync(new RegisterAgent(TestCluster.Agent($"h{i}")) { Principal = $"h{i}" });
                Assert.False(registered.IsError, registered.Error?.Message);
            }

            var head = master.Server.State.Current.Position;
            await using var reader = await SqliteEventLog.OpenAsync(Path.Combine(workDir, "registry.db"), cts.Token);
            while (((await reader.ListSnapshotsAsync(cts.Token)).FirstOrDefault()?.Position ?? 0) <= head - 5)
            {
                await Task.Delay(50, cts.Token);
            }
        }

        await using (var log = await SqliteEventLog.OpenAsync(Path.Combine(workDir, "registry.db"), cts.Token))
        {
            var snapshots = await log.ListSnapshotsAsync(cts.Token);
            Assert.Equal(2, snapshots.Count);
            Assert.All(snapshots, s => Assert.True(s.Position >= 5));
            foreach (var info in snapshots)
            {
                var full = await LogReplay.ReplayAsync(log, info.Position, cts.Token);
                Assert.Equal(StateHash.Compute(full.State), info.StateHash);
                StateAssert.Equal(full.State, SnapshotCodec.Decode((await log.ReadSnapshotAsync(info.Position, cts.Token))!));
            }

            var recovered = await LogReplay.RecoverAsync(log, long.MaxValue, useSnapshots: true, cts.Token);
            var whole = await LogReplay.ReplayAsync(log, long.MaxValue, cts.Token);
            Assert.Equal(snapshots[0].Position, recovered.SnapshotPosition);
            Assert.Equal(whole.Position, recovered.Position);
            Assert.Equal(whole.Events - snapshots[0].Position, recovered.Events);
            Assert.Equal(StateHash.Compute(whole.State), StateHash.Compute(recovered.State));
        }

        await using var restarted = await TestMaster.StartAsync(workDir);
        var again = await restarted.Server.Loop.SubmitAsync(new RegisterAgent(TestCluster.Agent("after")) { Principal = "after" });
        Assert.False(again.IsError, again.Error?.Message);
        await using var reopened = await SqliteEventLog.OpenAsync(Path.Combine(workDir, "registry.db"), cts.Token);
        var current = restarted.Server.State.Current;
        var replayed = await LogReplay.ReplayAsync(reopened, current.Position, cts.Token);
        Assert.Equal(StateHash.Compute(replayed.State), current.Hash);
    }
}
