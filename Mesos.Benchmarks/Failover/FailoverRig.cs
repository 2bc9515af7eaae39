using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Core.Resources;
using Microsoft.Extensions.Logging;

namespace Mesos.Benchmarks.Failover;

/// <summary>
/// Three masters (separate `mesos master` processes) on one PostgreSQL registry, two agents and a framework that
/// keeps launching short tasks through the v1 HTTP API. <see cref="KillLeadersAsync"/> SIGKILLs the leader at
/// seeded random moments and restarts it as a standby, recording how long each takeover took and how long the
/// framework and the agents took to find the new leader. Shared by the chaos test (which checks correctness)
/// and the failover benchmark (which prints the figures).
/// </summary>
public sealed class FailoverRig : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    // Generous: on a loaded 2-core machine a master process takes tens of seconds to start. Nothing is timed by it.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    private readonly FailoverRigOptions options;
    private readonly MasterDaemon[] masters;
    private readonly List<AgentRuntime> agents = [];
    private readonly List<Takeover> takeovers = [];
    private readonly List<MasterDaemon> restarts = [];
    private readonly Stopwatch clock;
    private readonly Random random;
    private int killedStepBacks;

    private FailoverRig(FailoverRigOptions options, MasterDaemon[] masters, Stopwatch clock, FailoverFramework framework)
    {
        this.options = options;
        this.masters = masters;
        this.clock = clock;
        Framework = framework;
        random = new Random(options.Seed);
    }

    public FailoverFramework Framework { get; }

    public IReadOnlyList<Takeover> Takeovers => takeovers;

    public IReadOnlyList<AgentRuntime> Agents => agents;

    /// <summary>Lines an agent logged about its tasks' states ("Task T of framework F is TASK_FINISHED").</summary>
    public AgentLogTap AgentLog { get; } = new();

    public static async Task<FailoverRig> StartAsync(FailoverRigOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var ports = Enumerable.Range(0, 3).Select(_ => FreePort()).ToArray();
        var masters = new MasterDaemon[3];
        var framework = new FailoverFramework([.. ports.Select(p => $"127.0.0.1:{p}")], "chaos", clock);
        var rig = new FailoverRig(options, masters, clock, framework);
        try
        {
            masters[0] = rig.StartMaster(ports[0], Path.Combine(options.WorkRoot, "master-0"));
            await masters[0].WaitForLineAsync(MasterDaemon.ElectedLine(), ct).ConfigureAwait(false);
            masters[1] = rig.StartMaster(ports[1], Path.Combine(options.WorkRoot, "master-1"));
            masters[2] = rig.StartMaster(ports[2], Path.Combine(options.WorkRoot, "master-2"));
            await Task.WhenAll(masters[1..].Select(m => m.WaitForLineAsync(MasterDaemon.StandbyLine(), ct))).ConfigureAwait(false);

            var loggers = LoggerFactory.Create(b => b.AddProvider(rig.AgentLog).SetMinimumLevel(LogLevel.Information));
            for (var i = 0; i < 2; i++)
            {
                rig.agents.Add(await AgentRuntime.StartAsync(new AgentOptions
                {
                    Masters = [.. ports.Select(p => $"127.0.0.1:{p}")],
                    WorkDir = Path.Combine(options.WorkRoot, $"agent-{i}"),
                    Resources = ResourceSet.Parse("cpus:2;mem:1024;disk:1000;ports:[31000-32000]"),
                    Port = 0,
                    Ip = "127.0.0.1",
                    Hostname = "127.0.0.1",
                    Isolation = "posix/cpu,posix/mem",
                    RegistrationBackoffFactor = TimeSpan.FromMilliseconds(100),
                    RegistrationBackoffMax = TimeSpan.FromSeconds(1),
                    StatusUpdateRetryInterval = TimeSpan.FromSeconds(1),
                    StatusUpdateRetryMax = TimeSpan.FromSeconds(2),
                }, loggers, ct).ConfigureAwait(false));
            }

            foreach (var agent in rig.agents)
            {
                await agent.WaitForRegistrationAsync(ct).ConfigureAwait(false);
            }

            framework.Start();
            await rig.UntilAsync(() => framework.FinishedAt.Count > 0, "the first task to finish", ct).ConfigureAwait(false);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// <paramref name="kills"/> times: wait a random moment, SIGKILL the leader, wait for a standby to lead, restart
    /// the killed master as a standby, and wait until the framework (re-subscribed) has a task finished under the
    /// new leader and both agents are attached to it.
    /// </summary>
    public async Task KillLeadersAsync(int kills, CancellationToken ct)
    {
        for (var kill = 1; kill <= kills; kill++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 2500)), ct).ConfigureAwait(false);
            MasterDaemon? leading = null;
            await UntilAsync(() => (leading = Leader) is not null, $"a leader to kill (kill {kill})", ct).ConfigureAwait(false);
            var killed = leading!;
            var killedAt = clock.Elapsed;
            killed.Signal(SigKill);
            await killed.WaitForExitAsync(ct).ConfigureAwait(false);
            var slot = Array.IndexOf(masters, killed);
            masters[slot] = StartMaster(killed.Port, killed.WorkDir);
            killedStepBacks += killed.StepBacks;
            await killed.DisposeAsync().ConfigureAwait(false);

            MasterDaemon? winner = null;
            await UntilAsync(() => (winner = Leader) is { } l && l.ElectedAt > killedAt, $"a standby to lead after kill {kill}", ct).ConfigureAwait(false);
            var electedAt = winner!.ElectedAt;

            // The framework and both agents carry on with whoever leads now (under heavy load a new leader can lose
            // its lease before it settles, and the supervisor's restarts put another one in its place).
            var subscribedAt = TimeSpan.Zero;
            var agentsAt = TimeSpan.Zero;
            await UntilAsync(
                () =>
                {
                    if (Leader is not { } now)
                    {
                        return false;
                    }

                    var (at, master) = Framework.Subscriptions.LastOrDefault();
                    if (at <= killedAt || master != now.Address)
                    {
                        return false;
                    }

                    subscribedAt = at;
                    if (!agents.All(a => a.Master == now.Address))
                    {
                        return false;
                    }

                    agentsAt = agentsAt > TimeSpan.Zero ? agentsAt : clock.Elapsed;
                    return Framework.FinishedAt.Any(f => f.At > subscribedAt);
                },
                $"the framework and both agents to carry on after kill {kill}",
                ct).ConfigureAwait(false);
            await UntilAsync(() => masters.All(m => m.HasPrinted(MasterDaemon.ElectedLine()) || m.HasPrinted(MasterDaemon.StandbyLine())), $"the masters to stand by again after kill {kill}", ct).ConfigureAwait(false);

            // The line comes once the lock is taken and the tail since the last poll folded; a master that took the lock at its first try prints none.
            var lockAt = winner.LastPrinted(MasterDaemon.LockTakenLine());
            var takeover = new Takeover(kill, killed.Port, winner.Port, (lockAt > killedAt ? lockAt : electedAt) - killedAt, electedAt - killedAt, subscribedAt - killedAt, agentsAt - killedAt);
            takeovers.Add(takeover);
            options.Log(string.Create(CultureInfo.InvariantCulture,
                $"kill {kill}: leader :{takeover.KilledPort} SIGKILLed; :{takeover.LeaderPort} took the lock after {takeover.LockTaken.TotalMilliseconds:0} ms, led after {takeover.Elected.TotalMilliseconds:0} ms, framework re-subscribed after {takeover.FrameworkBack.TotalMilliseconds:0} ms, agents back by {takeover.AgentsBack.TotalMilliseconds:0} ms"));
        }
    }

    /// <summary>Masters that stopped by themselves (a leader that lost its lease steps down) and were restarted.</summary>
    public int StepDowns => restarts.Count;

    /// <summary>Times a master went back to standby after taking the lock and before leading (its lease ran out in between).</summary>
    public int StepBacks => killedStepBacks + masters.Concat(restarts).Sum(m => m.StepBacks);

    /// <summary>The live master that most recently printed its election, or null while none leads.</summary>
    public MasterDaemon? Leader => masters
        .Where(m => !m.HasExited && m.ElectedAt != TimeSpan.MinValue)
        .MaxBy(m => m.ElectedAt);

    /// <summary>
    /// As a supervisor (systemd's Restart=) would: restarts each master that exited (a leader that lost the
    /// registry stops, and so does a master that cannot reach it at start), on its port and work_dir, until one
    /// leads again, the framework has re-subscribed with it and a task finished since, and both agents are
    /// attached to it. Returns the new leader.
    /// </summary>
    public async Task<MasterDaemon> SuperviseUntilLeadingAgainAsync(TimeSpan after, CancellationToken ct)
    {
        MasterDaemon? leader = null;
        var subscribedAt = TimeSpan.Zero;
        await UntilAsync(
            () =>
            {
                leader = masters.Where(m => !m.HasExited && m.ElectedAt > after).MaxBy(m => m.ElectedAt);
                return leader is not null
                    && Framework.Subscriptions.LastOrDefault() is var (at, master) && at > after && master == leader.Address && (subscribedAt = at) > TimeSpan.Zero
                    && agents.All(a => a.Master == leader.Address)
                    && Framework.FinishedAt.Any(f => f.At > subscribedAt);
            },
            "a master to lead again, with the framework and both agents",
            ct).ConfigureAwait(false);
        return leader!;
    }

    /// <summary>The rig's clock (what <see cref="Takeover"/> and <see cref="FailoverFramework"/> times are measured on).</summary>
    public TimeSpan Now => clock.Elapsed;

    /// <summary>Lets every launched task end, then stops the leader gracefully: its last log position and state hash.</summary>
    public async Task<(long Position, string Hash)> SettleAndStopLeaderAsync(CancellationToken ct)
    {
        await Framework.SettleAsync(ct).ConfigureAwait(false);
        MasterDaemon? leading = null;
        await UntilAsync(() => (leading = Leader) is not null, "a leader to stop", ct).ConfigureAwait(false);
        var leader = leading!;
        leader.Signal(SigTerm);
        var (stopped, _) = await leader.WaitForLineAsync(MasterDaemon.StoppedLine(), ct).ConfigureAwait(false);
        return (long.Parse(stopped.Groups[1].Value, CultureInfo.InvariantCulture), stopped.Groups[2].Value);
    }

    public async ValueTask DisposeAsync()
    {
        await Framework.DisposeAsync().ConfigureAwait(false);
        foreach (var agent in agents)
        {
            await agent.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var master in masters.Where(m => m is not null).Concat(restarts))
        {
            await master.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private MasterDaemon StartMaster(int port, string workDir) =>
        MasterDaemon.Start(options.StartInfo, port, workDir, clock, ["--registry=postgres", $"--registry_url={options.RegistryUrl}"]);

    /// <summary>As systemd's Restart= would: a master that stopped by itself is started again on its port and work_dir.</summary>
    private bool Supervised()
    {
        for (var slot = 0; slot < masters.Length; slot++)
        {
            if (masters[slot].HasExited)
            {
                var exited = masters[slot];
                options.Log(string.Create(CultureInfo.InvariantCulture, $"master :{exited.Port} stopped by itself ({exited.Lines.LastOrDefault()}); restarting it"));
                masters[slot] = StartMaster(exited.Port, exited.WorkDir);
                restarts.Add(exited);
            }
        }

        return true;
    }

    private async Task UntilAsync(Func<bool> condition, string what, CancellationToken ct)
    {
        var deadline = clock.Elapsed + Patience;
        while (!Supervised() || !condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds:0} s (at {clock.Elapsed.TotalSeconds:0.0} s) for {what}; {Framework.Describe()}; agents attached to "
                    + string.Join(", ", agents.Select(a => a.Master ?? "none")) + "; agents said:\n" + string.Join("\n", AgentLog.Lines.TakeLast(12)) + "\nmasters said:\n"
                    + string.Join("\n---\n", masters.Select(m => $":{m.Port}\n" + string.Join("\n", m.Lines.TakeLast(15)))));
            }

            await Task.Delay(20, ct).ConfigureAwait(false);
        }
    }
}
