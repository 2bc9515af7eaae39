using System.Collections.Immutable;
using System.Globalization;
using Mesos.Core.Agents;
using Mesos.Core.Allocation;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.Quotas;
using Mesos.Core.Masters;
using Mesos.Core.Reservations;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

/// <summary>
/// Drives decide and the fold with generated commands, as the master loop would: each step turns into commands
/// aimed at whatever exists at that moment, each command is decided (twice, to check decide is pure), its events
/// are appended and folded, and <see cref="ClusterInvariants"/> are checked. Agents re-register like real agents:
/// they report the tasks they still run, which the simulation tracks on their side. Status updates, on the other
/// hand, are arbitrary (legal or not, from any source), because decide must guard against any agent.
/// At the end the log is replayed from empty and from every step boundary.
/// </summary>
public sealed class ClusterSimulation
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(75);
    private static readonly TimeSpan OfferTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] AgentKinds = [TestCluster.AgentResources, "cpus(eng):2;cpus:2;mem:2048;disk:5000;ports:[31000-31010]", "cpus:0.5;mem:256;ports:[31000-31002]"];
    private static readonly double?[] RefuseChoices = [null, 0, 1, 10, 60];

    private readonly ClusterDecider decider = new(new RoundRobinAllocator());
    private readonly List<ClusterEvent> log = [];
    private readonly List<(int Position, ClusterState State)> boundaries = [];
    private readonly Dictionary<AgentId, HashSet<TaskKey>> agentTasks = [];
    private readonly Dictionary<FrameworkId, FrameworkInfo> frameworkInfos = [];
    private readonly Queue<string> recent = new();
    private readonly Dictionary<string, int> outcomes = [];
    private DateTimeOffset now = TestCluster.T0;
    private int nextUuid = 1;
    private int nextTask;
    private int nextMaster = 1;

    public ClusterState State { get; private set; } = ClusterState.Empty;

    public IReadOnlyList<ClusterEvent> Log => log;

    /// <summary>How often each command was decided, by outcome (<c>AcceptOffers:ok</c>, <c>AcceptOffers:NotFound</c>).</summary>
    public IReadOnlyDictionary<string, int> Outcomes => outcomes;

    public static ClusterSimulation Run(IEnumerable<SimulationStep> steps)
    {
        var simulation = new ClusterSimulation();
        simulation.Execute(new ElectMaster(simulation.NewMaster()) { Principal = TestCluster.Operator });
        simulation.Execute(new RegisterAgent(TestCluster.Agent("h0")) { Principal = "h0" });
        simulation.Execute(new RegisterAgent(TestCluster.Agent("h1", AgentKinds[1])) { Principal = "h1" });
        simulation.Execute(new SubscribeFramework(simulation.NewFrameworkInfo(3 + (4 * 2)), null) { Principal = "scheduler" });
        simulation.Execute(new SubscribeFramework(simulation.NewFrameworkInfo(2 + (4 * 1)), null) { Principal = "scheduler" });
        foreach (var step in steps)
        {
            simulation.now += TimeSpan.FromSeconds(step.Seconds);
            foreach (var command in simulation.Commands(step))
            {
                simulation.Execute(command);
            }
        }

        simulation.CheckReplay();
        return simulation;
    }

    private void Execute(MasterCommand command)
    {
        var before = State;
        var decision = decider.Decide(before, command, now);
        var again = decider.Decide(before, command, now);
        Assert.Equal(decision.Error, again.Error);
        Assert.True(decision.Events.SequenceEqual(again.Events), $"decide gave two answers to {command}");

        foreach (var @event in decision.Events)
        {
            log.Add(@event);
            State = ClusterFold.Apply(State, @event);
        }

        Observe(command, decision);
        Remember(command, decision);
        try
        {
            ClusterInvariants.Check(before, State, command, decision);
        }
        catch (Exception failure)
        {
            throw new InvalidOperationException($"{failure.Message}\nafter these commands (oldest first):\n{string.Join("\n", recent)}", failure);
        }

        boundaries.Add((log.Count, State));
    }

    private void Remember(MasterCommand command, Decision decision)
    {
        var outcome = decision.Error is { } error
            ? $"  refused: {error.Kind}: {error.Message}"
            : string.Concat(decision.Events.Select(e => "\n  " + e));
        recent.Enqueue($"{now:HH:mm:ss} {command}{outcome}");
        var key = command.GetType().Name + ":" + (decision.Error?.Kind.ToString() ?? "ok");
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        if (recent.Count > 25)
        {
            recent.Dequeue();
        }
    }

    /// <summary>
    /// Folding the log again from empty gives the same state (and hash) at every step; a snapshot taken at a step
    /// boundary plus the rest of the log gives the whole (checked at a spread of boundaries, as each costs a fold).
    /// </summary>
    private void CheckReplay()
    {
        ClusterInvariants.CheckCompleted(State);
        var replayed = ClusterState.Empty;
        var position = 0;
        var snapshots = new List<(int Position, ClusterState State)>();
        var every = Math.Max(1, boundaries.Count / 8);
        for (var i = 0; i < boundaries.Count; i++)
        {
            var (boundary, live) = boundaries[i];
            replayed = ClusterFold.ApplyAll(replayed, log.Skip(position).Take(boundary - position));
            position = boundary;
            if (i % every == 0)
            {
                StateAssert.Equal(live, replayed);
                snapshots.Add((boundary, replayed));
            }
            else
            {
                StateAssert.SameCanonicalForm(live, replayed);
            }
        }

        var whole = StateHash.Compute(State);
        foreach (var (boundary, snapshot) in snapshots)
        {
            var resumed = ClusterFold.ApplyAll(snapshot, log.Skip(boundary));
            Assert.True(whole == StateHash.Compute(resumed), $"snapshot at {boundary} plus the rest of the log differs from the whole log");
        }
    }

    private IEnumerable<MasterCommand> Commands(SimulationStep step)
    {
        var (kind, pick, detail) = (step.Kind, step.Pick, step.Detail);
        switch (kind)
        {
            case < 5:
                if (State.Agents.Count < 5)
                {
                    var hostname = "h" + State.Agents.Count.ToString(CultureInfo.InvariantCulture);
                    yield return new RegisterAgent(TestCluster.Agent(hostname, AgentKinds[detail % AgentKinds.Length])) { Principal = hostname, Ip = detail % 5 == 0 ? null : "10.1.0." + State.Agents.Count.ToString(CultureInfo.InvariantCulture) };
                }

                break;
            case < 9:
                if (State.Frameworks.Count + State.CompletedFrameworks.Count < 6)
                {
                    yield return new SubscribeFramework(NewFrameworkInfo(detail), null) { Principal = "scheduler" };
                }

                break;
            case < 18:
                yield return new RunAllocation(pick) { Principal = "allocator" };
                break;
            case < 20:
                // The operator's calls have buckets of their own, each wide enough to be reached in most runs: one
                // shared bucket of a single kind, split five ways, left successful UNRESERVE_RESOURCES to chance.
                if (AgentLifecycle(pick, detail) is { } lifecycle)
                {
                    yield return lifecycle;
                }

                break;
            case < 33:
                if (Pick(State.Offers.Values, pick) is { } offer)
                {
                    yield return Accept(offer, detail);
                }

                break;
            case < 38:
                if (Pick(State.Offers.Values, pick) is { } declined)
                {
                    yield return new DeclineOffers(declined.FrameworkId, [declined.Id], RefuseChoices[detail % RefuseChoices.Length]) { Principal = "scheduler" };
                }

                break;
            case < 50:
                if (Pick(State.Tasks.Values, pick) is { } updated)
                {
                    yield return Update(updated, detail);
                }

                break;
            case < 54:
                foreach (var maintenance in Maintenance(pick, detail))
                {
                    yield return maintenance;
                }

                break;
            case < 56:
                // Half the time an UNRESERVE on an agent that holds dynamic reservations: aimed at any agent, it
                // rarely met one (a run makes a few reservations over up to five agents).
                // When the operation aimed at is on a volume (see OperatorReservation), an agent that holds one.
                var holding = State.Agents.Values.Where(a => a.Info.Resources.Entries.Any(r => detail % 4 == 2 ? r.IsPersistentVolume : r.IsDynamicallyReserved)).ToList();
                if (Pick(detail % 2 == 0 && holding.Count > 0 ? holding : State.Agents.Values, pick) is { } reservedOn)
                {
                    // Aimed at a volume on an agent without one: the operator makes one and resizes it (volumes are rare otherwise).
                    var operations = detail % 4 == 2 && !reservedOn.Info.Resources.Entries.Any(r => r.IsPersistentVolume)
                        ? VolumeLifecycle(reservedOn.Id, detail)
                        : [OperatorReservation(reservedOn, detail)];
                    foreach (var operated in operations)
                    {
                        yield return operated;
                    }
                }

                break;
            case < 66:
                if (Pick(State.Tasks.Values.Where(t => t.PendingUuid is not null), pick) is { } pending)
                {
                    var uuid = detail % 6 == 0 ? TestCluster.Uuid(detail) : pending.PendingUuid!.Value;
                    yield return new AcknowledgeStatus(pending.Key.FrameworkId, pending.AgentId, pending.Key.TaskId, uuid) { Principal = "scheduler" };
                }

                break;
            case < 70:
                if (detail % 2 == 0 && Pick(State.Executors.Values, pick) is { } exited)
                {
                    yield return new RemoveExecutor(exited.Key.FrameworkId, exited.AgentId, exited.Key.ExecutorId, detail % 3 == 0 ? null : 0) { Principal = "agent" };
                }
                else if (detail % 4 == 1 && Pick(State.Executors.Values, pick) is { } shutDown)
                {
                    yield return new ShutdownExecutor(shutDown.Key.FrameworkId, shutDown.AgentId, shutDown.Key.ExecutorId) { Principal = "scheduler" };
                }
                else if (Pick(State.Tasks.Values, pick) is { } killed)
                {
                    yield return new KillTask(killed.Key.FrameworkId, killed.Key.TaskId, null) { Principal = "scheduler" };
                }

                break;
            case < 77:
                var silent = detail % 2 == 0 ? Pick(State.Agents.Values, pick)?.Id : null;
                foreach (var agent in State.Agents.Values.Where(a => a.Status == AgentStatus.Active && a.Id != silent).ToList())
                {
                    yield return new RecordAgentHeartbeat(agent.Id) { Principal = agent.Info.Hostname };
                }

                break;
            case < 80:
                if (Pick(State.Agents.Values.Where(a => a.Status == AgentStatus.Active), pick) is { } disconnected)
                {
                    yield return new DisconnectAgent(disconnected.Id) { Principal = "m" };
                }

                break;
            case < 86:
                var away = State.Agents.Values.Where(a => a.Status is AgentStatus.Disconnected or AgentStatus.Unreachable).ToList();
                if (Pick(detail % 3 != 0 && away.Count > 0 ? away : State.Agents.Values.Where(a => a.Status != AgentStatus.Removed), pick) is { } returning)
                {
                    yield return Reregister(returning, detail);
                }

                break;
            case < 92:
                yield return (detail % 4) switch
                {
                    < 2 => new CheckAgentHealth(PingTimeout) { Principal = "timer" },
                    2 => new ExpireFrameworks() { Principal = "timer" },
                    _ => new ExpireOffers(OfferTimeout) { Principal = "timer" },
                };
                break;
            case < 95:
                if (Pick(State.Frameworks.Values, pick) is { } framework)
                {
                    yield return framework.Status == FrameworkStatus.Active && detail % 2 == 0
                        ? new DisconnectFramework(framework.Id) { Principal = "m" }
                        : new SubscribeFramework(Resubscription(framework.Id, detail), framework.Id) { Principal = "scheduler" };
                }

                break;
            case < 97:
                if (detail % 5 == 4 && Pick(State.Frameworks.Values, pick) is { } updating)
                {
                    // UPDATE_FRAMEWORK: a new name and failover timeout, and the first role suppressed or not.
                    var info = updating.Info with { Name = "renamed-" + detail.ToString(CultureInfo.InvariantCulture), FailoverTimeoutSeconds = detail % 7 * 10 };
                    yield return new UpdateFramework(updating.Id, info, detail % 2 == 0 ? [] : [info.Roles[0]]) { Principal = "scheduler" };
                }
                else if (Pick(State.Frameworks.Values, pick) is { } suppressing)
                {
                    yield return detail % 2 == 0
                        ? new SuppressOffers(suppressing.Id, []) { Principal = "scheduler" }
                        : new ReviveOffers(suppressing.Id, []) { Principal = "scheduler" };
                }

                break;
            case < 98:
                if (Pick(State.Frameworks.Values, pick) is { } torn)
                {
                    yield return new TeardownFramework(torn.Id) { Principal = TestCluster.Operator };
                }

                break;
            case < 99:
                foreach (var absent in State.Frameworks.Values.Where(f => f.Status == FrameworkStatus.Disconnected).ToList())
                {
                    yield return new SubscribeFramework(frameworkInfos[absent.Id], absent.Id) { Principal = "scheduler" };
                }

                break;
            default:
                yield return (detail % 3) switch
                {
                    // Now and then a master with another --min_allocatable_resources, which it records.
                    0 => new ElectMaster(NewMaster()) { Principal = TestCluster.Operator, MinAllocatableResources = MinimumAllocatable.Parse(pick % 3 == 0 ? "cpus:0.5|mem:256" : MinimumAllocatable.DefaultText) },
                    1 => new UpdateWeights([new RoleWeight("eng", 1 + (pick % 3))]) { Principal = TestCluster.Operator },
                    _ => new UpdateQuota(
                        [new RoleQuota("eng", TestCluster.Res("cpus:0.5;mem:64"), TestCluster.Res($"cpus:{4 + (pick % 8)};mem:8192"))],
                        Force: pick % 2 == 0) { Principal = TestCluster.Operator },
                };
                break;
        }
    }

    private FrameworkInfo NewFrameworkInfo(int detail)
    {
        var name = "f" + (State.Frameworks.Count + State.CompletedFrameworks.Count).ToString(CultureInfo.InvariantCulture);
        var timeout = (detail / 4 % 3) switch { 0 => 0, 1 => 60, _ => 3600 };
        return (detail % 4) switch
        {
            0 => TestCluster.Framework(name, failoverTimeoutSeconds: timeout, capabilities: FrameworkCapability.PartitionAware),
            1 => TestCluster.Framework(name, ["eng"], timeout),
            2 => TestCluster.Framework(name, ["eng", "*"], timeout, FrameworkCapability.MultiRole),
            _ => TestCluster.Framework(name, failoverTimeoutSeconds: timeout, capabilities: FrameworkCapability.PartitionAware),
        };
    }

    /// <summary>The framework's own info, or now and then the same framework moving to other roles.</summary>
    private FrameworkInfo Resubscription(FrameworkId id, int detail)
    {
        var info = frameworkInfos[id];
        return detail % 3 == 0 && info.Has(FrameworkCapability.MultiRole)
            ? info with { Roles = ["*"] }
            : info;
    }

    private AcceptOffers Accept(OfferState offer, int detail)
    {
        var framework = detail % 17 == 0 ? Pick(State.Frameworks.Values, detail)?.Id ?? offer.FrameworkId : offer.FrameworkId;
        var offers = detail % 5 == 0
            ? State.Offers.Values.Where(o => o.FrameworkId == offer.FrameworkId && o.AgentId == offer.AgentId).ToList()
            : [offer];
        var remaining = ClusterInvariants.Sum(offers.Select(o => o.Resources));
        var reservations = new List<ReservationOperation>();
        if (detail % 7 == 1 && State.Frameworks.TryGetValue(offer.FrameworkId, out var reserver) && offer.Role != Roles.Default)
        {
            // RESERVE part of what is unreserved (now and then for a role the framework is not in), launching on it below.
            var role = detail % 23 == 0 ? "ops" : offer.Role;
            var target = ResourceSet.Of(Slice(remaining.Unreserved(), detail).Entries.Select(r => r.PushReservation(ResourceReservation.Dynamic(role, reserver.Info.Principal))));
            if (!target.IsEmpty)
            {
                reservations.Add(new ReservationOperation(ReservationOperationKind.Reserve, target));
                remaining = remaining - ReservationDecisions.Sources(target) + target;
            }
        }
        else if (detail % 7 == 2 && remaining.Filter(r => r.IsDynamicallyReserved) is { IsEmpty: false } reserved)
        {
            var target = Slice(reserved, detail);
            if (!target.IsEmpty)
            {
                reservations.Add(new ReservationOperation(ReservationOperationKind.Unreserve, target));
                remaining = remaining - target + ReservationDecisions.Sources(target);
            }
        }
        else if (detail % 7 == 5 && remaining.Filter(r => r.Name == "disk" && r.IsReserved && !r.IsPersistentVolume) is { IsEmpty: false } disk)
        {
            // CREATE a volume on part of the reserved disk (now and then with an id already taken), launching on it below.
            var id = detail % 19 == 0 ? "v0" : "v" + (nextTask++).ToString(CultureInfo.InvariantCulture);
            var target = ResourceSet.Of(Slice(disk, detail).Entries.Select(r => r.WithVolume(new DiskVolume(id, null, "data", VolumeMode.Rw))));
            if (!target.IsEmpty)
            {
                reservations.Add(new ReservationOperation(ReservationOperationKind.Create, target));
                remaining = remaining - VolumeDecisions.Sources(target) + target;

                // Now and then resized in the same ACCEPT: grown by what is left of its reservation, or shrunk by half.
                var created = ResourceSet.Of(target.Entries[0]);
                var spare = remaining.Filter(r => r.IsSameSlot(created.Entries[0].WithVolume(null)));
                if (detail % 3 == 0 && !spare.IsEmpty)
                {
                    var addition = Slice(spare, detail);
                    reservations.Add(new ReservationOperation(ReservationOperationKind.GrowVolume, created) { Addition = addition });
                    remaining = remaining - created - addition + VolumeResizeDecisions.Grown(created, addition);
                }
                else if (detail % 3 == 1 && created.Entries[0].Scalar.Thousandths > 1)
                {
                    var subtract = Subtract(created.Entries[0], 1);
                    var freed = VolumeResizeDecisions.Freed(created, subtract);
                    reservations.Add(new ReservationOperation(ReservationOperationKind.ShrinkVolume, created) { Subtract = subtract });
                    remaining = remaining - created + VolumeResizeDecisions.Shrunk(created, freed) + freed;
                }
            }
        }
        else if (detail % 7 == 6 && detail % 3 == 0 && remaining.Filter(r => r.IsPersistentVolume) is { IsEmpty: false } resizable)
        {
            // GROW_VOLUME by what the offers hold of its reservation, or SHRINK_VOLUME by half, launching on it below.
            var volume = ResourceSet.Of(resizable.Entries[detail % resizable.Entries.Length]);
            var operation = detail % 2 == 0
                ? new ReservationOperation(ReservationOperationKind.GrowVolume, volume) { Addition = Addition(remaining - volume, volume.Entries[0], detail) }
                : new ReservationOperation(ReservationOperationKind.ShrinkVolume, volume) { Subtract = Subtract(volume.Entries[0], detail) };
            reservations.Add(operation);
            if (operation.Kind == ReservationOperationKind.GrowVolume)
            {
                remaining = remaining - volume - operation.Addition + VolumeResizeDecisions.Grown(volume, operation.Addition);
            }
            else if (operation.Subtract < volume.Entries[0].Scalar)
            {
                var freed = VolumeResizeDecisions.Freed(volume, operation.Subtract);
                remaining = remaining - volume + VolumeResizeDecisions.Shrunk(volume, freed) + freed;
            }
        }
        else if (detail % 7 == 6 && remaining.Filter(r => r.IsPersistentVolume) is { IsEmpty: false } volumes)
        {
            var target = ResourceSet.Of(volumes.Entries[detail % volumes.Entries.Length]);
            reservations.Add(new ReservationOperation(ReservationOperationKind.Destroy, target));
            remaining = remaining - target + VolumeDecisions.Sources(target);
        }

        var tasks = new List<TaskInfo>();
        for (var i = 0; i < detail % 3; i++)
        {
            var resources = detail % 11 == 0 ? remaining + TestCluster.Res("cpus:100") : Slice(remaining, detail >> (4 * i));
            if (resources.IsEmpty)
            {
                break;
            }

            var id = detail % 13 == 0 && State.Tasks.Count > 0 ? State.Tasks.Keys.First().TaskId.Value : "t" + (nextTask++).ToString(CultureInfo.InvariantCulture);
            tasks.Add(TestCluster.Task(id, offer.AgentId, resources.ToString()));
            remaining -= resources;
        }

        // Some launches go to a custom executor (two ids per framework, so later tasks often join a running one).
        var executors = ImmutableDictionary<TaskId, ExecutorInfo>.Empty;
        if (detail % 7 is 3 or 4)
        {
            var executor = new ExecutorInfo(
                new ExecutorId("e" + (detail % 2).ToString(CultureInfo.InvariantCulture)),
                "custom",
                new CommandInfo("./executor", true, [], [], null),
                TestCluster.Res(detail % 14 == 3 ? "cpus:0.25" : "cpus:0.01;mem:1"),
                null);
            // A task id can repeat within one call (the duplicate-id case), so no ToImmutableDictionary here.
            executors = tasks.Aggregate(executors, (map, t) => map.SetItem(t.TaskId, executor));
            tasks = tasks.Select(t => t with { Command = null }).ToList();
        }

        // Some launches are a task group on a DEFAULT executor (LAUNCH_GROUP); an empty group is refused.
        var groups = new List<TaskGroupLaunch>();
        if (detail % 7 == 5)
        {
            var executor = new ExecutorInfo(
                new ExecutorId("g" + (detail % 2).ToString(CultureInfo.InvariantCulture)),
                "default",
                TaskGroupDecisions.NoCommand,
                TestCluster.Res(detail % 14 == 5 ? "cpus:0.005;mem:32;disk:1" : "cpus:0.01;mem:32;disk:1"),
                null);
            groups.Add(new TaskGroupLaunch(executor, ExecutorType.Default, false, ValueArray.From(tasks), ValueArray.From(tasks.Select(_ => TaskLaunchDetails.None))));
            tasks = [];
        }

        return new AcceptOffers(framework, ValueArray.From(offers.Select(o => o.Id)), ValueArray.From(tasks), RefuseChoices[(detail >> 3) % RefuseChoices.Length])
        {
            Principal = "scheduler",
            Executors = executors,
            Reservations = ValueArray.From(reservations),
            Groups = ValueArray.From(groups),
        };
    }

    /// <summary>
    /// DEACTIVATE_AGENT of any agent (removed ones too, which is refused), REACTIVATE_AGENT of a deactivated one, or
    /// now and then MARK_AGENT_GONE (rarely: a gone agent never comes back, and a run has at most five).
    /// </summary>
    /// <summary>
    /// The operator's maintenance and the frameworks' answers, each step moving the cycle on: answer outstanding inverse
    /// offers, bring a draining machine down, bring a down one up, or schedule an agent's machine (now and then one
    /// named twice, or a schedule that drops a DOWN machine, which are refused).
    /// </summary>
    private IEnumerable<MasterCommand> Maintenance(int pick, int detail)
    {
        var maintenance = State.Maintenance;
        if (Pick(maintenance.InverseOffers.Values, pick) is { } inverse)
        {
            var answer = detail % 2 == 0 ? InverseOfferAnswer.Accept : InverseOfferAnswer.Decline;
            yield return new AnswerInverseOffers(inverse.FrameworkId, [inverse.Id], answer, RefuseChoices[detail % RefuseChoices.Length]) { Principal = "scheduler" };
        }

        var unavailability = new Unavailability((now - DateTimeOffset.UnixEpoch).Ticks * 100, detail % 3 == 0 ? null : 3_600_000_000_000);
        if (detail % 4 == 1 && Pick(maintenance.Machines.Values.Where(m => m.Mode == MachineMode.Down), pick) is { } down)
        {
            yield return new StopMaintenance([down.Id]) { Principal = TestCluster.Operator };
        }
        else if (detail % 4 == 2 && Pick(maintenance.Machines.Values.Where(m => m.Mode == MachineMode.Draining), pick) is { } draining)
        {
            yield return new StartMaintenance([draining.Id]) { Principal = TestCluster.Operator };
        }
        else if (Pick(State.Agents.Values.Where(a => a.Status != AgentStatus.Removed), pick) is { } agent)
        {
            // The DOWN machines stay in the schedule unless this is the case that checks they cannot be dropped.
            List<MachineId> keep = detail % 9 == 8 ? [] : maintenance.Machines.Values.Where(m => m.Mode == MachineMode.Down).Select(m => m.Id).ToList();
            var machines = keep.Append(agent.Machine).Distinct().ToList();
            if (detail % 11 == 10)
            {
                machines.Add(agent.Machine);
            }

            yield return new UpdateMaintenanceSchedule([new MaintenanceWindow(ValueArray.From(machines), unavailability)]) { Principal = TestCluster.Operator };
        }
    }

    private MasterCommand? AgentLifecycle(int pick, int detail)
    {
        if (detail % 8 == 7 && Pick(State.Agents.Values, pick) is { } gone)
        {
            return new MarkAgentGone(gone.Id) { Principal = TestCluster.Operator };
        }

        // DRAIN_AGENT now and then (of removed agents too, which is refused); a quarter of them mark the agent gone.
        if (detail % 8 == 5 && Pick(State.Agents.Values, pick) is { } drained)
        {
            return new DrainAgent(drained.Id, detail % 3 == 0 ? null : 5_000_000_000, MarkGone: detail % 32 == 29) { Principal = TestCluster.Operator };
        }

        if (detail % 2 == 0 && Pick(State.Agents.Values.Where(a => a.Deactivated), pick) is { } deactivated)
        {
            return new ReactivateAgent(deactivated.Id) { Principal = TestCluster.Operator };
        }

        return Pick(State.Agents.Values, pick) is { } operated
            ? new DeactivateAgent(operated.Id) { Principal = TestCluster.Operator }
            : null;
    }

    /// <summary>
    /// The operator's RESERVE_RESOURCES of a part of an agent's unreserved or 'eng' resources (for 'eng', refined to
    /// 'eng/batch', or now and then more than the agent has), or UNRESERVE_RESOURCES of a part of its dynamic reservations.
    /// </summary>
    private MasterCommand OperatorReservation(AgentState agent, int detail)
    {
        // A quarter of the time DESTROY_VOLUMES of a volume it holds (in use or not), or CREATE_VOLUMES on its
        // reserved disk (now and then with an id it already has).
        var held = agent.Info.Resources.Filter(r => r.IsPersistentVolume);
        if (detail % 4 == 2 && !held.IsEmpty && detail % 3 != 2)
        {
            // GROW_VOLUME or SHRINK_VOLUME of it (in use or not, now and then by all it has, which is refused).
            var volume = ResourceSet.Of(held.Entries[detail % held.Entries.Length]);
            return detail % 3 == 0
                ? new GrowVolume(agent.Id, volume, Addition(agent.Info.Resources - agent.Used, volume.Entries[0], detail)) { Principal = TestCluster.Operator }
                : new ShrinkVolume(agent.Id, volume, Subtract(volume.Entries[0], detail)) { Principal = TestCluster.Operator };
        }

        if (detail % 4 == 2 && !held.IsEmpty)
        {
            return new DestroyVolumes(agent.Id, ResourceSet.Of(held.Entries[detail % held.Entries.Length])) { Principal = TestCluster.Operator };
        }

        var reservedDisk = (agent.Info.Resources - agent.Used).Filter(r => r.Name == "disk" && r.IsReserved && !r.IsPersistentVolume);
        if (detail % 4 == 3 && !reservedDisk.IsEmpty)
        {
            var id = detail % 3 == 0 ? "v0" : "ov" + (detail % 1000).ToString(CultureInfo.InvariantCulture);
            return new CreateVolumes(agent.Id, ResourceSet.Of(Slice(reservedDisk, detail).Entries.Select(r => r.WithVolume(new DiskVolume(id, null, "data", VolumeMode.Rw))))) { Principal = TestCluster.Operator };
        }

        var dynamic = agent.Info.Resources.Filter(r => r.IsDynamicallyReserved);
        if (detail % 2 == 0 && !dynamic.IsEmpty)
        {
            return new UnreserveResources(agent.Id, Slice(dynamic, detail)) { Principal = TestCluster.Operator };
        }

        var free = detail % 11 == 0 ? agent.Info.Resources + TestCluster.Res("cpus:64") : agent.Info.Resources - agent.Used;
        var source = Slice(detail % 3 == 0 ? free.ReservedFor("eng").Filter(r => !r.IsRefined) : free.Unreserved(), detail);
        var role = detail % 3 == 0 ? "eng/batch" : "eng";
        return new ReserveResources(agent.Id, ResourceSet.Of(source.Entries.Select(r => r.PushReservation(ResourceReservation.Dynamic(role, "admin"))))) { Principal = TestCluster.Operator };
    }

    /// <summary>
    /// RESERVE_RESOURCES of a part of the agent's unreserved disk, CREATE_VOLUMES on half of it, then GROW_VOLUME into the
    /// rest, SHRINK_VOLUME by half, or both; each step from the state the one before left.
    /// </summary>
    private IEnumerable<MasterCommand> VolumeLifecycle(AgentId agentId, int detail)
    {
        var agent = State.Agents[agentId];
        var disk = (agent.Info.Resources - agent.Used).Unreserved().Filter(r => r.Name == "disk");
        if (disk.IsEmpty)
        {
            yield break;
        }

        var reserved = ResourceSet.Of(Slice(disk, detail).Entries.Select(r => r.PushReservation(ResourceReservation.Dynamic("eng", "admin"))));
        yield return new ReserveResources(agentId, reserved) { Principal = TestCluster.Operator };
        var half = reserved.Entries[0].WithScalar(new ScalarValue(Math.Max(1, reserved.Entries[0].Scalar.Thousandths / 2)));
        var volume = ResourceSet.Of(half.WithVolume(new DiskVolume("rv" + (detail % 1000).ToString(CultureInfo.InvariantCulture), null, "data", VolumeMode.Rw)));
        yield return new CreateVolumes(agentId, volume) { Principal = TestCluster.Operator };
        if (!State.Agents.TryGetValue(agentId, out agent) || !agent.Info.Resources.Contains(volume))
        {
            yield break;
        }

        if (detail % 3 != 1)
        {
            var addition = Addition(agent.Info.Resources - agent.Used, volume.Entries[0], detail);
            yield return new GrowVolume(agentId, volume, addition) { Principal = TestCluster.Operator };
            if (State.Agents[agentId].Info.Resources.Contains(VolumeResizeDecisions.Grown(volume, addition)))
            {
                volume = VolumeResizeDecisions.Grown(volume, addition);
            }
        }

        if (detail % 3 != 0)
        {
            yield return new ShrinkVolume(agentId, volume, Subtract(volume.Entries[0], detail)) { Principal = TestCluster.Operator };
        }
    }

    /// <summary>A part of the plain disk of the volume's reservation in <paramref name="free"/>, or (when there is none) a little that is not there.</summary>
    private static ResourceSet Addition(ResourceSet free, Resource volume, int detail)
    {
        var plain = volume.WithVolume(null);
        var spare = free.Filter(r => r.IsSameSlot(plain));
        return spare.IsEmpty ? ResourceSet.Of(plain.WithScalar(ScalarValue.FromDouble(1))) : Slice(spare, detail);
    }

    /// <summary>Half the volume, or now and then all of it (which Mesos refuses).</summary>
    private static ScalarValue Subtract(Resource volume, int detail) =>
        detail % 5 == 0 ? volume.Scalar : new ScalarValue(Math.Max(1, volume.Scalar.Thousandths / 2));

    /// <summary>A part of the offer: an eighth to a half of each scalar, and one value of each range.</summary>
    private static ResourceSet Slice(ResourceSet offer, int detail)
    {
        var parts = new List<Resource>();
        foreach (var resource in offer.Entries)
        {
            detail = (detail * 31) + 7;
            // Volumes are not sliced (Mesos never splits one) and are left to CREATE / DESTROY and the tasks that name them.
            if (resource.IsPersistentVolume)
            {
                continue;
            }

            if (resource.Kind == ResourceKind.Scalar)
            {
                var eighths = (Math.Abs(detail) % 4) + 1;
                parts.Add(Resource.OfScalar(resource.Name, new ScalarValue(resource.Scalar.Thousandths * eighths / 8)).WithReservations(resource.Reservations));
            }
            else if (resource.Kind == ResourceKind.Ranges && detail % 2 == 0)
            {
                var range = resource.Ranges.Ranges[0];
                var value = range.Begin + ((ulong)Math.Abs(detail) % range.Count);
                parts.Add(Resource.OfRanges(resource.Name, RangeSet.Of([new ValueRange(value, value)])).WithReservations(resource.Reservations));
            }
        }

        return ResourceSet.Of(parts);
    }

    /// <summary>
    /// Mostly the normal life of a task (STAGING, RUNNING, health updates, FINISHED or KILLED), often any update the
    /// state machine allows, sometimes any state at all; from any source, now and then a retried uuid or the wrong agent.
    /// </summary>
    private UpdateTaskStatus Update(TaskRecord task, int detail)
    {
        var all = Enum.GetValues<TaskState>();
        var legal = all.Where(s => TaskStateMachine.CanTransition(task.State, s)).ToList();
        var state = (detail % 10) switch
        {
            < 5 => Lifecycle(task, detail / 10),
            < 8 when legal.Count > 0 => legal[detail / 10 % legal.Count],
            _ => all[detail / 10 % all.Length],
        };
        var source = (detail / 7 % 8) switch { 0 => StatusSource.Master, < 4 => StatusSource.Agent, _ => StatusSource.Executor };
        var retried = task.Statuses.LastOrDefault(s => s.Uuid is not null)?.Uuid;
        var uuid = detail % 13 == 0 && retried is not null ? retried : TestCluster.Uuid(nextUuid++);
        var agentId = detail % 19 == 0 ? Pick(State.Agents.Values, detail)!.Id : task.AgentId;
        return new UpdateTaskStatus(agentId, task.Key.FrameworkId, task.Key.TaskId, TestCluster.Status(state, uuid, now, source)) { Principal = agentId.Value };
    }

    private static TaskState Lifecycle(TaskRecord task, int detail) => task.State switch
    {
        TaskState.Staging => detail % 3 == 0 ? TaskState.Starting : TaskState.Running,
        TaskState.Starting => TaskState.Running,
        TaskState.Running => (detail % 6) switch { 0 => TaskState.Finished, 1 => TaskState.Killing, 2 => TaskState.Failed, _ => TaskState.Running },
        TaskState.Killing => TaskState.Killed,
        _ => TaskState.Running,
    };

    /// <summary>The agent reports the tasks it still runs, as it last knew them; now and then it has lost one.</summary>
    private ReregisterAgent Reregister(AgentState agent, int detail)
    {
        var mine = agentTasks.GetValueOrDefault(agent.Id) ?? [];
        if (detail % 4 == 0 && mine.Count > 0)
        {
            mine.Remove(mine.OrderBy(k => k).ElementAt(detail % mine.Count));
        }

        var reported = mine.Order().Select(key => new ReportedTask(key.FrameworkId, key.TaskId, ReportedState(key))).ToList();
        return new ReregisterAgent(agent.Id, agent.Info, ValueArray.From(reported)) { Principal = agent.Info.Hostname, Ip = agent.Ip ?? (detail % 3 == 0 ? "10.2.0.1" : null) };
    }

    private TaskState ReportedState(TaskKey key) =>
        State.Tasks.TryGetValue(key, out var task) && !task.IsTerminal && task.State != TaskState.Unreachable ? task.State : TaskState.Running;

    /// <summary>Keeps the agents' side of the story: which tasks each agent actually runs.</summary>
    private void Observe(MasterCommand command, Decision decision)
    {
        if (command is SubscribeFramework subscribe && !decision.IsError)
        {
            var subscribed = decision.Events.OfType<FrameworkSubscribed>().Single();
            frameworkInfos[subscribed.FrameworkId] = frameworkInfos.TryGetValue(subscribed.FrameworkId, out var known) ? known : subscribe.Info;
        }

        foreach (var @event in decision.Events)
        {
            switch (@event)
            {
                case TaskLaunched launched:
                    Tasks(launched.Task.AgentId).Add(new TaskKey(launched.FrameworkId, launched.Task.TaskId));
                    break;
                case TaskLaunchedOnExecutor launched:
                    Tasks(launched.Task.AgentId).Add(new TaskKey(launched.FrameworkId, launched.Task.TaskId));
                    break;
                case TaskGroupLaunched group:
                    foreach (var task in group.Tasks)
                    {
                        Tasks(task.AgentId).Add(new TaskKey(group.FrameworkId, task.TaskId));
                    }

                    break;
                case TaskStatusUpdated updated when command is UpdateTaskStatus && TaskStateMachine.IsTerminal(updated.Status.State):
                    Tasks(updated.AgentId).Remove(new TaskKey(updated.FrameworkId, updated.TaskId));
                    break;
                case FrameworkRemoved removed:
                    foreach (var tasks in agentTasks.Values)
                    {
                        tasks.RemoveWhere(k => k.FrameworkId == removed.FrameworkId);
                    }

                    break;
            }
        }
    }

    private HashSet<TaskKey> Tasks(AgentId agentId)
    {
        if (!agentTasks.TryGetValue(agentId, out var tasks))
        {
            tasks = [];
            agentTasks[agentId] = tasks;
        }

        return tasks;
    }

    private MasterIdentity NewMaster()
    {
        var id = "m" + (nextMaster++).ToString(CultureInfo.InvariantCulture);
        return new MasterIdentity(id, id + ".example", "10.0.0." + nextMaster.ToString(CultureInfo.InvariantCulture), 5050, "1.11.0");
    }

    private static T? Pick<T>(IEnumerable<T> candidates, int pick)
        where T : class
    {
        var list = candidates as IReadOnlyList<T> ?? candidates.ToList();
        return list.Count == 0 ? null : list[pick % list.Count];
    }
}
