using Mesos.Core.Events;
using Mesos.Core.Masters;
using Mesos.Core.State;
using Mesos.EventLog.Marten;
using Mesos.EventLog.Marten.Leadership;
using Mesos.EventLog.Port;
using Mesos.Master;
using Mesos.Master.Recovery;
using Mesos.Master.Registry;
using Mesos.Tests.Integration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>
/// The window between taking the leader lock and having the election event in the log: a lease that runs out there
/// sends the master back to standby, and it leads again on whatever the log holds by then. The lease is ended by
/// the server, as an expired lease is (the lock's session is terminated), at exactly that moment.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ElectionLeaseTests(PostgresCluster cluster)
{
    [Fact]
    public async Task LeaseEndsBeforeTheElection_AndAnotherMasterIsElectedFirst_TheMasterStepsBackThenLeadsAfterIt()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var url = await cluster.DatabaseNamed("election-fenced");
        var other = new MasterIdentity("other-master", "127.0.0.1", "127.0.0.1", 1, "1.11.0");
        var attempts = 0;

        await using var master = await StartAsync(url, async (_, ct) =>
        {
            if (++attempts > 1)
            {
                return;
            }

            // The lease runs out; another master takes the lock and is elected before this one appends.
            await EndLeaseAsync(url, ct);
            await using var taken = await TakeLockAsync(url, ct);
            await using var log = await RegistryFactory.OpenAsync(RegistryOptions.Postgres(url), ct);
            var head = await log.GetHeadAsync(ct);
            Assert.IsType<AppendResult.Appended>(await log.AppendAsync([new MasterElected(other) { At = DateTimeOffset.UtcNow, Principal = "master" }], head, ct));
        }, cts.Token);

        Assert.Equal(2, attempts);
        var elections = await ElectionsAsync(url, master, cts.Token);
        Assert.Equal([other.Id, master.Identity.Id], elections);
    }

    [Fact]
    public async Task LeaseEndsBeforeTheElection_WithNobodyElseWriting_TheElectionLandsButTheMasterStepsBack_AndIsElectedAgain()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var url = await cluster.DatabaseNamed("election-unfenced");
        var attempts = 0;

        await using var master = await StartAsync(url, async (_, ct) =>
        {
            if (++attempts == 1)
            {
                // The lease runs out and the lock is free (anyone could take it), but nobody writes: the append
                // succeeds, and only asking the lock tells this master that it may not be the only one leading.
                await EndLeaseAsync(url, ct);
                await (await TakeLockAsync(url, ct)).DisposeAsync();
            }
        }, cts.Token);

        Assert.Equal(2, attempts);
        var elections = await ElectionsAsync(url, master, cts.Token);
        Assert.Equal(2, elections.Count);
        Assert.NotEqual(elections[0], elections[1]);
        Assert.Equal(master.Identity.Id, elections[1]);
    }

    private static Task<MasterServer> StartAsync(string url, Func<PostgresLeaderLock, CancellationToken, Task> beforeElection, CancellationToken ct) =>
        MasterServer.StartAsync(
            TestMaster.Options(Integration.TempDirectory.Create("election")) with { Registry = RegistryOptions.Postgres(url) },
            ct,
            logging => logging.SetMinimumLevel(LogLevel.Warning),
            beforeElection);

    /// <summary>Elections in the log, in order, after checking that the master leads on a state that is exactly the log's.</summary>
    private static async Task<List<string>> ElectionsAsync(string url, MasterServer master, CancellationToken ct)
    {
        await using var log = await RegistryFactory.OpenAsync(RegistryOptions.Postgres(url), ct);
        var events = new List<RecordedEvent>();
        await foreach (var recorded in log.ReadAsync(0, ct))
        {
            events.Add(recorded);
        }

        var current = master.State.Current;
        Assert.Equal(Enumerable.Range(1, events.Count).Select(p => (long)p), events.Select(e => e.Position));
        Assert.Equal(events[^1].Position, current.Position);
        Assert.Equal(master.Identity, current.State.Master);
        Assert.Equal(StateHash.Compute((await LogReplay.ReplayAsync(log, current.Position, ct)).State), current.Hash);

        // It still holds the lock: nobody else can take it.
        Assert.Null(await PostgresLeaderLock.TryAcquireAsync(url, LockName, TimeSpan.FromSeconds(5), ct));
        return events.Select(e => e.Event).OfType<MasterElected>().Select(e => e.Master.Id).ToList();
    }

    private static string LockName => StandbyMaster.LockName(new MartenEventLogOptions());

    /// <summary>As the server does when a lease runs out: the session holding the lock is ended.</summary>
    private static async Task EndLeaseAsync(string url, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(url);
        await connection.OpenAsync(ct);
        await using var terminate = new NpgsqlCommand(
            """
            SELECT count(*) FROM (
              SELECT pg_terminate_backend(l.pid) FROM pg_locks l
              WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            ) ended;
            """,
            connection);
        Assert.Equal(1L, await terminate.ExecuteScalarAsync(ct));
    }

    private static async Task<PostgresLeaderLock> TakeLockAsync(string url, CancellationToken ct)
    {
        // The terminated backend lets go of its locks as it exits, a moment after pg_terminate_backend returns.
        while (true)
        {
            if (await PostgresLeaderLock.TryAcquireAsync(url, LockName, TimeSpan.FromSeconds(5), ct) is { } taken)
            {
                return taken;
            }

            await Task.Delay(20, ct);
        }
    }
}
