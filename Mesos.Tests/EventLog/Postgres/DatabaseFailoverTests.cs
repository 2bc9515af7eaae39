using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mesos.Benchmarks.Failover;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;
using Mesos.Master.Recovery;
using Mesos.Master.Registry;
using Xunit.Abstractions;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>
/// The registry's own failover: masters on a PostgreSQL primary with a synchronous streaming standby, given both
/// hosts (Target Session Attributes=primary). The primary is stopped (immediate: a crash), the standby promoted;
/// the masters, restarted as a supervisor would when they stop, find the new primary, one leads, the framework and
/// agents carry on, and nothing a master had reported committed is missing: the log is one line.
/// </summary>
public sealed class DatabaseFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PrimaryCrashes_StandbyPromoted_MastersLeadAgainOnIt_AndEveryCommittedEventIsThere()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = cts.Token;
        await using var pg = await ReplicatedPostgres.StartAsync();
        var options = new FailoverRigOptions(
            pg.MultiHostConnectionString(),
            arguments => SiblingProcess.StartInfo(Path.Combine(AppContext.BaseDirectory, "mesos.dll"), arguments),
            Integration.TempDirectory.Create("db-failover"),
            Seed: 0,
            output.WriteLine);

        long position;
        string hash;
        IReadOnlyList<RecordedEvent> before;
        IReadOnlyCollection<string> finishedBefore;
        IReadOnlyCollection<string> delivered;
        (long Position, string Hash) lastCommitted;
        await using (var rig = await FailoverRig.StartAsync(options, ct))
        {
            while (rig.Framework.FinishedAt.Count < 3)
            {
                await Task.Delay(100, ct);
            }

            // What the leader reports committed (its read models follow the log), then a crash of the primary.
            var crashedLeader = rig.Leader!;
            var reported = await ReportedPositionAsync(crashedLeader.Port, ct);
            before = await ReadAsync(pg.ConnectionString(pg.PrimaryPort), reported, ct);
            finishedBefore = rig.Framework.FinishedDeliveries.Keys.ToList();
            var crashedAt = rig.Now;
            await pg.StopPrimaryAsync("immediate");
            output.WriteLine($"primary stopped (immediate) with the leader reporting position {reported}; {finishedBefore.Count} tasks finished so far");
            await pg.PromoteStandbyAsync();
            var promotedAt = rig.Now;

            var leader = await rig.SuperviseUntilLeadingAgainAsync(crashedAt, ct);

            // The leader at the crash stopped (its next append failed) with its state at the last append the
            // primary acknowledged: the log's prefix that it committed, up to the very end, must fold to that state.
            var (stoppedLine, _) = await crashedLeader.WaitForLineAsync(MasterDaemon.StoppedLine(), ct);
            lastCommitted = (long.Parse(stoppedLine.Groups[1].Value, CultureInfo.InvariantCulture), stoppedLine.Groups[2].Value);
            output.WriteLine($"the leader at the crash had committed up to position {lastCommitted.Position}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"standby promoted {(promotedAt - crashedAt).TotalMilliseconds:0} ms after the crash; :{leader.Port} led {(leader.ElectedAt - crashedAt).TotalMilliseconds:0} ms after it; a task finished under it by {(rig.Now - crashedAt).TotalMilliseconds:0} ms"));
            Assert.Empty(rig.Framework.Errors);
            (position, hash) = await rig.SettleAndStopLeaderAsync(ct);
            delivered = rig.Framework.FinishedDeliveries.Keys.ToList();
        }

        var after = await ReadAsync(pg.ConnectionString(pg.StandbyPort), long.MaxValue, ct);

        // One line: positions 1..N without a gap, and what was committed before the crash is there, unchanged.
        Assert.Equal(Enumerable.Range(1, after.Count).Select(p => (long)p), after.Select(e => e.Position));
        Assert.True(after.Count >= before.Count, $"the log has {after.Count} events, fewer than the {before.Count} committed before the crash");
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(Fingerprint(before[i]), Fingerprint(after[i]));
        }

        var finishedInLog = after.Select(e => e.Event).OfType<TaskStatusUpdated>()
            .Where(u => u.Status.State == TaskState.Finished && u.Status.Uuid is not null)
            .Select(u => Convert.ToBase64String(u.Status.Uuid!.Value.ToByteArray(bigEndian: true)))
            .ToHashSet(StringComparer.Ordinal);
        // A master sends an update only once it is committed: every TASK_FINISHED the framework ever received, before
        // the crash or after, is in the log the promoted standby holds.
        Assert.Subset(finishedInLog, finishedBefore.ToHashSet(StringComparer.Ordinal));
        Assert.Subset(finishedInLog, delivered.ToHashSet(StringComparer.Ordinal));
        Assert.Empty(after.Select(e => e.Event).OfType<TaskLaunched>().GroupBy(l => (l.FrameworkId, l.Task.TaskId)).Where(g => g.Count() > 1).Select(g => g.Key));

        await using var log = await RegistryFactory.OpenAsync(RegistryOptions.Postgres(pg.ConnectionString(pg.StandbyPort)), ct);
        Assert.True(after.Count >= lastCommitted.Position, $"the log has {after.Count} events; the leader at the crash had committed {lastCommitted.Position}");
        Assert.Equal(lastCommitted.Hash, StateHash.Compute((await LogReplay.ReplayAsync(log, lastCommitted.Position, ct)).State));
        Assert.Equal(hash, StateHash.Compute((await LogReplay.ReplayAsync(log, position, ct)).State));
    }

    private static string Fingerprint(RecordedEvent recorded)
    {
        var encoded = EventCodec.Encode(recorded.Event);
        return $"{recorded.Position} {recorded.TypeName}/{recorded.Version} {Convert.ToBase64String(encoded.Payload)}";
    }

    private static async Task<long> ReportedPositionAsync(int port, CancellationToken ct)
    {
        using var http = new HttpClient();
        var answer = await http.GetFromJsonAsync<JsonObject>(new Uri($"http://127.0.0.1:{port}/ui/api/position"), ct);
        return (long)answer!["position"]!;
    }

    private static async Task<IReadOnlyList<RecordedEvent>> ReadAsync(string connectionString, long upTo, CancellationToken ct)
    {
        await using var log = await RegistryFactory.OpenAsync(RegistryOptions.Postgres(connectionString), ct);
        var events = new List<RecordedEvent>();
        await foreach (var recorded in log.ReadAsync(0, ct))
        {
            if (recorded.Position > upTo)
            {
                break;
            }

            events.Add(recorded);
        }

        return events;
    }
}
