using System.Net;
using System.Net.Sockets;
using Mesos.EventLog.Marten;
using Mesos.EventLog.Port;
using Mesos.Master;
using Mesos.Master.Recovery;
using Mesos.Master.Registry;
using Mesos.Core.State;
using Mesos.Tests.Integration;
using Npgsql;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>What the PostgreSQL registry adds to the contract: several masters on one log, and start-up errors.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MartenRegistryTests(PostgresCluster cluster)
{
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(90));

    private CancellationToken Timeout => timeout.Token;

    private static MartenEventLogOptions Stream(string key) => new() { StreamKey = key, TailPollInterval = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task TwoMastersOnOneLog_TheStaleOneGetsAConflict_AndWritesNothing()
    {
        var database = await cluster.DatabaseFor(GetType());
        var key = "fence-" + Guid.NewGuid().ToString("N");
        await using var leader = await MartenEventLog.OpenAsync(database, Stream(key), Timeout);
        await using var deposed = await MartenEventLog.OpenAsync(database, Stream(key), Timeout);
        await deposed.AppendAsync(EventLogContractTests.NumberedRange(0, 2), 0, Timeout);

        // The deposed master believes the head is 2; the new leader has moved it since.
        Assert.Equal(new AppendResult.Appended(3, 5), await leader.AppendAsync(EventLogContractTests.NumberedRange(2, 3), 2, Timeout));
        var stale = await deposed.AppendAsync(EventLogContractTests.NumberedRange(100, 1), 2, Timeout);

        Assert.Equal(new AppendResult.Conflict(2, 5), stale);
        Assert.Equal(5, await deposed.GetHeadAsync(Timeout));
        Assert.Equal(1, ((IEventLogStatistics)deposed).Statistics.Conflicts);
    }

    [Fact]
    public async Task Tail_InAStandby_IsWokenByTheLeadersCommit_WithoutWaitingForAPoll()
    {
        var database = await cluster.DatabaseFor(GetType());
        var key = "tail-" + Guid.NewGuid().ToString("N");

        // A poll interval far longer than the test's patience: only NOTIFY can deliver the event in time.
        await using var leader = await MartenEventLog.OpenAsync(database, Stream(key), Timeout);
        await using var standby = await MartenEventLog.OpenAsync(database, Stream(key), Timeout);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var tail = standby.TailAsync(0, stop.Token).GetAsyncEnumerator(stop.Token);
        var first = tail.MoveNextAsync().AsTask();
        await leader.AppendAsync(EventLogContractTests.NumberedRange(0, 1), 0, Timeout);
        Assert.True(await first);
        Assert.Equal(1, tail.Current.Position);

        var second = tail.MoveNextAsync().AsTask();
        await Task.Delay(200, Timeout);
        await leader.AppendAsync(EventLogContractTests.NumberedRange(1, 1), 1, Timeout);

        Assert.True(await second);
        Assert.Equal(2, tail.Current.Position);
    }

    [Fact]
    public async Task Open_AnUnreachableDatabase_FailsInOneLineNamingIt()
    {
        var port = ClosedPort();

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            MartenEventLog.OpenAsync($"Host=127.0.0.1;Port={port};Username=mesos;Password=x;Timeout=5", new MartenEventLogOptions(), Timeout));

        Assert.StartsWith($"registry postgres://127.0.0.1:{port}/mesos: cannot connect", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Open_WithAWrongPassword_SaysTheLoginWasRefused_WithoutThePassword()
    {
        var builder = new NpgsqlConnectionStringBuilder(await cluster.DatabaseFor(GetType())) { Password = "wrong-password" };

        var error = await Assert.ThrowsAsync<RegistryException>(() => MartenEventLog.OpenAsync(builder.ConnectionString, new MartenEventLogOptions(), Timeout));

        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("28P01", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MasterHost_WithAnUnreachableRegistry_ExitsOne()
    {
        var workDir = Integration.TempDirectory.Create("pg-unreachable");

        var exit = await MasterHost.RunAsync(
            [$"--work_dir={workDir}", "--port=0", "--ip=127.0.0.1", "--registry=postgres", $"--registry_url=Host=127.0.0.1;Port={ClosedPort()};Username=mesos;Password=x;Timeout=5"],
            Timeout);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(Path.Combine(workDir, "registry.db")));
    }

    [Fact]
    public async Task Master_OnPostgres_ElectsAndRestartsToTheSameState()
    {
        var database = await cluster.DatabaseNamed("master_restart");
        string hash;
        long position;
        await using (var master = await TestMaster.StartAsync(configure: o => o with { Registry = RegistryOptions.Postgres(database) }))
        {
            hash = master.Server.State.Current.Hash;
            position = master.Server.State.Current.Position;
            Assert.True(position >= 1);
        }

        await using (var log = await RegistryFactory.OpenAsync(RegistryOptions.Postgres(database), Timeout))
        {
            var replay = await LogReplay.ReplayAsync(log, position, Timeout);
            Assert.Equal(hash, StateHash.Compute(replay.State));
        }

        await using var restarted = await TestMaster.StartAsync(configure: o => o with { Registry = RegistryOptions.Postgres(database) });
        Assert.True(restarted.Server.State.Current.Position > position);
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
