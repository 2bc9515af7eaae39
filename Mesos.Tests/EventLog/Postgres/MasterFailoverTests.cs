using System.Diagnostics;
using System.Net;
using Mesos.Agent;
using Mesos.Client;
using Mesos.Core.Agents;
using Mesos.Core.Ids;
using Mesos.EventLog.Marten;
using Mesos.EventLog.Marten.Leadership;
using Mesos.EventLog.Port;
using Mesos.Master.Recovery;
using Mesos.Master.Registry;
using Mesos.Core.State;
using Mesos.Protocol.V1;
using Mesos.Tests.Integration;
using Xunit.Abstractions;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>Several masters on one PostgreSQL registry: one leads, the others stand by, redirect, and take over.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MasterFailoverTests(PostgresCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeMasters_TheLeaderStops_AStandbyLeads_AndTheAgentAndFrameworkCarryOn()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var registry = RegistryOptions.Postgres(await cluster.DatabaseNamed("failover"));
        int[] ports = [MasterProcess.FreePort(), MasterProcess.FreePort(), MasterProcess.FreePort()];
        var first = await TestMaster.StartAsync(configure: o => o with { Registry = registry, Port = ports[0] });
        var standbys = ports[1..].Select(port => Task.Run(() => TestMaster.StartAsync(configure: o => o with { Registry = registry, Port = port }))).ToList();
        TestMaster? next = null;
        var firstStopped = false;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });

            // A standby sends HTTP callers to the leader, keeping the path; /master/redirect names the leader.
            var redirected = await UntilAnsweredAsync(http, $"http://127.0.0.1:{ports[1]}/master/state?jsonp=x", cts.Token);
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
            Assert.Equal($"//127.0.0.1:{ports[0]}/master/state?jsonp=x", redirected.Headers.Location!.OriginalString);
            var redirect = await UntilAnsweredAsync(http, $"http://127.0.0.1:{ports[2]}/master/redirect", cts.Token);
            Assert.Equal($"//127.0.0.1:{ports[0]}", redirect.Headers.Location!.OriginalString);

            // gRPC callers hear UNAVAILABLE naming the leader, so the mesos tool given a list moves on to it.
            using (var standbyFirst = new MasterConnection($"127.0.0.1:{ports[1]},127.0.0.1:{ports[0]}"))
            {
                await new OperatorClient(standbyFirst).GetStateAsync(cancellationToken: cts.Token);
                Assert.Equal(ports[0], standbyFirst.Preferred.Port);
            }

            using (var standbyOnly = new MasterConnection($"127.0.0.1:{ports[1]}"))
            {
                var error = await Assert.ThrowsAsync<MasterUnreachableException>(() => new OperatorClient(standbyOnly).GetStateAsync(cancellationToken: cts.Token));
                Assert.Contains($"the leading master is 127.0.0.1:{ports[0]}", error.Message, StringComparison.Ordinal);
            }

            await using var agent = await AgentRuntime.StartAsync(
                TestAgent.Options(ports.Select(p => $"127.0.0.1:{p}"), Integration.TempDirectory.Create("failover-agent")));
            var agentId = await agent.WaitForRegistrationAsync(cts.Token);
            string frameworkId;
            await using (var framework = await TestFramework.SubscribeAsync(first, "failover", cts.Token))
            {
                frameworkId = framework.Context.FrameworkId;
                await framework.LaunchAsync("before", "echo before", cts.Token);
                Assert.Equal(TaskState.TaskFinished, (await framework.UpdatesUntilTerminalAsync("before", cts.Token))[^1].State);
            }

            var epoch = first.Server.State.Current.State.MasterEpoch;
            var clock = Stopwatch.StartNew();
            firstStopped = true;
            await first.DisposeAsync();
            var winner = await Task.WhenAny(standbys).WaitAsync(cts.Token);
            next = await winner;
            output.WriteLine($"a standby led {clock.Elapsed.TotalMilliseconds:0} ms after the leader stopped");
            var other = standbys.Single(s => s != winner);

            // The state the standby kept hot is exactly the log's, folded from scratch.
            var snapshot = next.Server.State.Current;
            Assert.True(snapshot.State.MasterEpoch > epoch);
            Assert.Equal(next.Port, snapshot.State.Master!.Port);
            Assert.True(snapshot.State.Frameworks.ContainsKey(new FrameworkId(frameworkId)));
            await using (var log = await RegistryFactory.OpenAsync(registry, cts.Token))
            {
                var replay = await LogReplay.ReplayAsync(log, snapshot.Position, cts.Token);
                Assert.Equal(snapshot.Hash, StateHash.Compute(replay.State));
            }

            // The remaining standby now points at the new leader.
            var otherPort = ports.Single(p => p != ports[0] && p != next.Port);
            await UntilAsync(async () => (await http.GetAsync(new Uri($"http://127.0.0.1:{otherPort}/master/redirect"), cts.Token)).Headers.Location?.OriginalString == $"//127.0.0.1:{next.Port}", cts.Token);

            // The agent finds the new leader in its list; the framework re-subscribes there and launches again.
            await UntilAsync(() => Task.FromResult(next.Server.State.Current.State.Agents.TryGetValue(new AgentId(agentId), out var a) && a.Status == AgentStatus.Active), cts.Token);
            await using (var framework = await TestFramework.ResubscribeAsync(next, "failover", frameworkId, cts.Token))
            {
                Assert.Equal(frameworkId, framework.Context.FrameworkId);
                await framework.LaunchAsync("after", "echo after", cts.Token);
                Assert.Equal(TaskState.TaskFinished, (await framework.UpdatesUntilTerminalAsync("after", cts.Token))[^1].State);
            }

            Assert.False(other.IsCompleted);
        }
        finally
        {
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }

            if (next is not null)
            {
                await next.DisposeAsync();
            }
        }

        // The last standby takes over once the second leader is gone too; then it is stopped.
        foreach (var standby in standbys)
        {
            var master = await standby.WaitAsync(cts.Token);
            await master.DisposeAsync();
        }
    }

    [Fact]
    public async Task ALeaderSilentPastItsLease_LosesTheLock_AndItsAppendsConflictWithTheNewLeader()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var database = await cluster.DatabaseFor(GetType());
        var name = "lease-" + Guid.NewGuid().ToString("N");
        var lease = TimeSpan.FromSeconds(1);
        var options = new MartenEventLogOptions { StreamKey = name };
        await using var oldLog = await MartenEventLog.OpenAsync(database, options, cts.Token);
        await using var newLog = await MartenEventLog.OpenAsync(database, options, cts.Token);
        var old = await PostgresLeaderLock.TryAcquireAsync(database, name, lease, cts.Token);
        Assert.NotNull(old);
        await using var _ = old;
        Assert.Null(await PostgresLeaderLock.TryAcquireAsync(database, name, lease, cts.Token));
        await oldLog.AppendAsync(EventLogContractTests.NumberedRange(0, 2), 0, cts.Token);

        // As SIGSTOP would: the old leader's connection stays open, but it says nothing past its lease.
        old.PauseHeartbeat(lease * 4);
        PostgresLeaderLock? taken = null;
        await UntilAsync(async () => (taken = await PostgresLeaderLock.TryAcquireAsync(database, name, lease, cts.Token)) is not null, cts.Token);
        await using var successor = taken!;
        Assert.Equal(new AppendResult.Appended(3, 3), await newLog.AppendAsync(EventLogContractTests.NumberedRange(2, 1), 2, cts.Token));

        // Resumed, the old leader learns it lost the lock, and its append at the position it knew is refused.
        await old.Lost.WaitAsync(cts.Token);
        Assert.Equal(new AppendResult.Conflict(2, 3), await oldLog.AppendAsync(EventLogContractTests.NumberedRange(10, 1), 2, cts.Token));
        Assert.Equal(3, await oldLog.GetHeadAsync(cts.Token));
    }

    private static async Task<HttpResponseMessage> UntilAnsweredAsync(HttpClient http, string url, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await http.GetAsync(new Uri(url), ct);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        while (!await condition())
        {
            await Task.Delay(100, ct);
        }
    }
}
