using System.Diagnostics;
using Mesos.Master.Recovery;
using Mesos.Master.Registry;
using Mesos.Tests.Integration;
using Xunit.Abstractions;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>Masters as real processes on one PostgreSQL registry: a paused leader is deposed and cannot write; a killed one is replaced.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MasterProcessFailoverTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;

    [Fact]
    public async Task PausedLeader_IsReplaced_AndOnResumingStepsDownWithoutWriting_ThenAKilledLeaderIsReplaced()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var url = await cluster.DatabaseNamed("process_failover");
        string[] flags = ["--registry=postgres", $"--registry_url={url}", "--registry_lease=2secs"];
        var a = await MasterProcess.StartAsync(Integration.TempDirectory.Create("pg-master-a"), MasterProcess.FreePort(), cts.Token, flags);
        var b = await MasterProcess.StartStandbyAsync(Integration.TempDirectory.Create("pg-master-b"), MasterProcess.FreePort(), cts.Token, flags);
        var c = await MasterProcess.StartStandbyAsync(Integration.TempDirectory.Create("pg-master-c"), MasterProcess.FreePort(), cts.Token, flags);
        try
        {
            a.Signal(SigStop);
            var clock = Stopwatch.StartNew();
            var elected = await Task.WhenAny(
                b.WaitForLineAsync(MasterProcess.ElectedLine(), cts.Token).ContinueWith(_ => b, TaskScheduler.Default),
                c.WaitForLineAsync(MasterProcess.ElectedLine(), cts.Token).ContinueWith(_ => c, TaskScheduler.Default));
            var leader = await elected;
            output.WriteLine($"paused leader (lease 2 s) replaced after {clock.Elapsed.TotalMilliseconds:0} ms");

            // Resumed, the old leader finds its lock gone and stops with a non-zero exit; it wrote nothing after
            // the new leader's election.
            a.Signal(SigCont);
            Assert.NotEqual(0, await a.WaitForExitAsync(cts.Token));
            var standby = leader == b ? c : b;

            leader.Signal(SigKill);
            clock.Restart();
            await standby.WaitForLineAsync(MasterProcess.ElectedLine(), cts.Token);
            output.WriteLine($"killed leader replaced after {clock.Elapsed.TotalMilliseconds:0} ms");

            // One line of history: three elections, each at the head its master had folded.
            await using var log = await RegistryFactory.OpenAsync(RegistryOptions.Postgres(url), cts.Token);
            var elections = new List<long>();
            await foreach (var recorded in log.ReadAsync(0, cts.Token))
            {
                if (recorded.Event is Mesos.Core.Events.MasterElected)
                {
                    elections.Add(recorded.Position);
                }
            }

            Assert.Equal(3, elections.Count);
            var replay = await LogReplay.ReplayAsync(log, long.MaxValue, cts.Token);
            Assert.Equal(3, replay.State.MasterEpoch);
            Assert.Equal(standby.Port, replay.State.Master!.Port);
        }
        finally
        {
            if (!a.HasExited)
            {
                a.Signal(SigCont);
            }

            await a.DisposeAsync();
            await b.DisposeAsync();
            await c.DisposeAsync();
        }
    }
}
