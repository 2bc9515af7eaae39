using System.Collections.Immutable;
using Mesos.Core.Agents;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.Tasks;

namespace Mesos.Core.State;

/// <summary>
/// The fold: <c>Apply(state, event) -> state</c>, pure and total. One case per event type; an event type without
/// a case is a bug that fails loudly, because skipping a committed event would make replicas disagree.
/// Decide has already validated every event, so the cases apply facts and never reject; where a fact refers
/// to something already gone (an offer rescinded twice), the case leaves the state as it is.
/// </summary>
public static class ClusterFold
{
    public static ClusterState Apply(ClusterState state, ClusterEvent @event) => @event switch
    {
        MasterElected e => OnMasterElected(state, e),
        AgentRegistered e => OnAgentRegistered(state, e),
        AgentReregistered e => OnAgentReregistered(state, e),
        AgentHeartbeatReceived e => UpdateAgent(state, e.AgentId, a => a with { LastSeen = e.At }),
        AgentDisconnected e => RescindOffersOnAgent(UpdateAgent(state, e.AgentId, a => a with { Status = AgentStatus.Disconnected }), e.AgentId),
        AgentMarkedUnreachable e => RescindOffersOnAgent(UpdateAgent(state, e.AgentId, a => a with { Status = AgentStatus.Unreachable }), e.AgentId),
        AgentRemoved e => RemoveExecutors(
            RescindOffersOnAgent(UpdateAgent(state, e.AgentId, a => a with { Status = AgentStatus.Removed }), e.AgentId),
            x => x.AgentId == e.AgentId),
        AgentDeactivated e => RescindOffersOnAgent(UpdateAgent(state, e.AgentId, a => a with { Deactivated = true }), e.AgentId),
        AgentReactivated e => UpdateAgent(state, e.AgentId, a => a with { Deactivated = false, Drain = null }),
        FrameworkSubscribed e => OnFrameworkSubscribed(state, e),
        FrameworkDisconnected e => RescindOffersOf(
            UpdateFramework(state, e.FrameworkId, f => f with { Status = FrameworkStatus.Disconnected, DisconnectedAt = e.At }),
            e.FrameworkId),
        FrameworkRemoved e => OnFrameworkRemoved(state, e),
        FrameworkSuppressed e => UpdateFramework(state, e.FrameworkId, f => f with { SuppressedRoles = f.SuppressedRoles.Union(RolesOrAll(f, e.Roles)) }),
        FrameworkRevived e => UpdateFramework(state, e.FrameworkId, f => f with
        {
            SuppressedRoles = f.SuppressedRoles.Except(RolesOrAll(f, e.Roles)),
            Filters = ImmutableSortedDictionary<AgentId, OfferFilter>.Empty,
        }),
        FrameworkUpdated e => UpdateFramework(state, e.FrameworkId, f => f with
        {
            Info = e.Info,
            SuppressedRoles = ImmutableSortedSet.Create(StringComparer.Ordinal, e.SuppressedRoles.Items.ToArray()),
        }),
        AllocationCycleRan e => state with { AllocationCycles = Math.Max(state.AllocationCycles, e.Cycle) },
        OfferMade e => OnOfferMade(state, e),
        OfferDeclined e => CloseOffer(state, e.OfferId, e.RefuseUntil, e.At),
        OfferAccepted e => CloseOffer(state, e.OfferId, e.RefuseUntil, e.At),
        OfferRescinded e => CloseOffer(state, e.OfferId, refuseUntil: null, e.At),
        TaskLaunched e => OnTaskLaunched(state, e),
        TaskStatusUpdated e => OnTaskStatusUpdated(state, e),
        TaskStatusAcknowledged e => OnTaskStatusAcknowledged(state, e),
        RoleWeightsUpdated e => RoleFold.Apply(state, e),
        QuotaUpdated e => RoleFold.Apply(state, e),
        TaskLaunchedOnExecutor e => OnTaskLaunchedOnExecutor(state, e),
        ExecutorTerminated e => OnExecutorTerminated(state, e),
        ExecutorShutdownRequested => state,
        ResourcesReserved e => ReservationFold.Apply(state, e),
        ResourcesUnreserved e => ReservationFold.Apply(state, e),
        VolumesCreated e => VolumeFold.Apply(state, e),
        VolumesDestroyed e => VolumeFold.Apply(state, e),
        VolumeGrown e => VolumeFold.Apply(state, e),
        VolumeShrunk e => VolumeFold.Apply(state, e),
        AllocatorConfigured e => state with { MinAllocatableResources = e.MinAllocatableResources },
        TaskKillRequested e => UpdateTask(state, new TaskKey(e.FrameworkId, e.TaskId), t => t with { KillRequested = true }),
        TaskGroupLaunched e => OnTaskGroupLaunched(state, e),
        AgentDrainStarted e => RescindOffersOnAgent(
            UpdateAgent(state, e.AgentId, a => a with { Deactivated = true, Drain = new AgentDrain(DrainState.Draining, e.MaxGracePeriodNanoseconds, e.MarkGone, e.At) }),
            e.AgentId),
        AgentDrained e => UpdateAgent(state, e.AgentId, a => a.Drain is { } drain ? a with { Drain = drain with { State = DrainState.Drained } } : a),
        MaintenanceScheduleUpdated e => MaintenanceFold.Apply(state, e),
        MachinesDown e => MaintenanceFold.Apply(state, e),
        MachinesUp e => MaintenanceFold.Apply(state, e),
        AgentAddressRecorded e => UpdateAgent(state, e.AgentId, a => a with { Ip = e.Ip }),
        InverseOfferMade e => MaintenanceFold.Apply(state, e),
        InverseOfferAnswered e => MaintenanceFold.Apply(state, e),
        InverseOfferRescinded e => MaintenanceFold.Apply(state, e),
        _ => throw new InvalidOperationException($"ClusterFold has no case for event {@event.GetType().Name}"),
    };

    public static ClusterState ApplyAll(ClusterState state, IEnumerable<ClusterEvent> events)
    {
        foreach (var @event in events)
        {
            state = Apply(state, @event);
        }

        return state;
    }

    private static ClusterState OnMasterElected(ClusterState state, MasterElected e)
    {
        // Connections do not survive a master change: everyone must come back, and the clocks for their
        // timeouts restart now, so that agents get a full ping window to re-register.
        var agents = state.Agents;
        foreach (var agent in state.Agents.Values)
        {
            agents = agents.SetItem(agent.Id, agent with
            {
                Status = agent.Status == AgentStatus.Active ? AgentStatus.Disconnected : agent.Status,
                LastSeen = agent.Status == AgentStatus.Active ? e.At : agent.LastSeen,
                Offered = ResourceSet.Empty,
            });
        }

        var frameworks = state.Frameworks;
        foreach (var framework in state.Frameworks.Values)
        {
            frameworks = frameworks.SetItem(framework.Id, framework with
            {
                Status = FrameworkStatus.Disconnected,
                DisconnectedAt = framework.Status == FrameworkStatus.Active ? e.At : framework.DisconnectedAt ?? e.At,
                OfferedOn = ImmutableSortedDictionary<AgentId, ResourceSet>.Empty,
            });
        }

        return state with
        {
            Master = e.Master,
            MasterEpoch = state.MasterEpoch + 1,
            ElectedAt = e.At,
            Agents = agents,
            Frameworks = frameworks,
            Offers = ImmutableSortedDictionary<OfferId, OfferState>.Empty,
        };
    }

    private static ClusterState OnAgentRegistered(ClusterState state, AgentRegistered e) =>
        state with
        {
            NextAgentNumber = state.NextAgentNumber + 1,
            Agents = state.Agents.SetItem(e.AgentId, new AgentState(
                e.AgentId, e.Info, AgentStatus.Active, e.At, null, e.At, ResourceSet.Empty, ResourceSet.Empty)),
        };

    private static ClusterState OnAgentReregistered(ClusterState state, AgentReregistered e)
    {
        if (!state.Agents.TryGetValue(e.AgentId, out var agent))
        {
            // Re-registration of an agent this log never admitted (a log restored from elsewhere): admit it.
            return state with
            {
                Agents = state.Agents.SetItem(e.AgentId, new AgentState(
                    e.AgentId, e.Info, AgentStatus.Active, e.At, e.At, e.At, UsedBy(state, e.AgentId), ResourceSet.Empty)),
            };
        }

        return state with
        {
            Agents = state.Agents.SetItem(e.AgentId, agent with
            {
                Info = e.Info with { Resources = ReservationFold.KeepDynamicReservations(agent.Info.Resources, e.Info.Resources) },
                Status = AgentStatus.Active,
                ReregisteredAt = e.At,
                LastSeen = e.At,
            }),
        };
    }

    private static ResourceSet UsedBy(ClusterState state, AgentId agentId) =>
        state.TasksOn(agentId).Where(t => !t.ResourcesReleased).Aggregate(ResourceSet.Empty, (sum, t) => sum + t.Info.Resources);

    private static ClusterState OnFrameworkSubscribed(ClusterState state, FrameworkSubscribed e)
    {
        if (state.Frameworks.TryGetValue(e.FrameworkId, out var existing))
        {
            return state with
            {
                Frameworks = state.Frameworks.SetItem(e.FrameworkId, existing with
                {
                    Info = e.Info,
                    Status = FrameworkStatus.Active,
                    ReregisteredAt = e.At,
                    DisconnectedAt = null,
                }),
            };
        }

        var framework = new FrameworkState(
            e.FrameworkId,
            e.Info,
            FrameworkStatus.Active,
            e.At,
            e.Resubscribed ? e.At : null,
            null,
            ImmutableSortedSet.Create(StringComparer.Ordinal, Array.Empty<string>()),
            ImmutableSortedDictionary<AgentId, OfferFilter>.Empty,
            ImmutableSortedDictionary<AgentId, ResourceSet>.Empty,
            ImmutableSortedDictionary<AgentId, ResourceSet>.Empty,
            ImmutableList<TaskRecord>.Empty);

        return state with
        {
            NextFrameworkNumber = e.Resubscribed ? state.NextFrameworkNumber : state.NextFrameworkNumber + 1,
            Frameworks = state.Frameworks.SetItem(e.FrameworkId, framework),
        };
    }

    private static ClusterState OnFrameworkRemoved(ClusterState state, FrameworkRemoved e)
    {
        if (!state.Frameworks.ContainsKey(e.FrameworkId))
        {
            return state;
        }

        state = RescindOffersOf(state, e.FrameworkId);

        // Its tasks are being killed on their agents; the master stops tracking them now, as Mesos does when it
        // removes a framework, and gives their resources back.
        foreach (var task in state.TasksOf(e.FrameworkId).ToList())
        {
            var killed = task.IsTerminal
                ? task
                : task with
                {
                    State = TaskState.Killed,
                    Statuses = task.Statuses.Add(new TaskStatus(
                        TaskState.Killed, TaskReason.FrameworkRemoved, "Framework removed: " + e.Reason, StatusSource.Master, null, e.At)),
                };
            state = ReleaseResources(state, task);
            state = state with { Tasks = state.Tasks.Remove(task.Key) };
            state = UpdateFramework(state, e.FrameworkId, f => f with { CompletedTasks = Capped(f.CompletedTasks.Add(killed with { PendingUuid = null, ResourcesReleased = true })) });
        }

        // Its executors are shut down with it.
        state = RemoveExecutors(state, x => x.Key.FrameworkId == e.FrameworkId);

        var framework = state.Frameworks[e.FrameworkId] with { Status = FrameworkStatus.Removed, Filters = ImmutableSortedDictionary<AgentId, OfferFilter>.Empty };
        var completed = state.CompletedFrameworks.Add(framework);
        if (completed.Count > ClusterState.MaxCompletedFrameworks)
        {
            completed = completed.RemoveAt(0);
        }

        return state with { Frameworks = state.Frameworks.Remove(e.FrameworkId), CompletedFrameworks = completed };
    }

    private static IEnumerable<string> RolesOrAll(FrameworkState framework, IReadOnlyCollection<string> roles) =>
        roles.Count == 0 ? framework.Info.Roles : roles;

    private static ClusterState OnOfferMade(ClusterState state, OfferMade e)
    {
        var offer = new OfferState(e.OfferId, e.FrameworkId, e.AgentId, e.Role, e.Resources, e.At);
        state = state with
        {
            NextOfferNumber = state.NextOfferNumber + 1,
            Offers = state.Offers.SetItem(e.OfferId, offer),
        };
        state = UpdateAgent(state, e.AgentId, a => a with { Offered = a.Offered + e.Resources });
        return UpdateFramework(state, e.FrameworkId, f => f with { OfferedOn = Plus(f.OfferedOn, e.AgentId, e.Resources) });
    }

    private static ClusterState CloseOffer(ClusterState state, OfferId offerId, DateTimeOffset? refuseUntil, DateTimeOffset at)
    {
        if (!state.Offers.TryGetValue(offerId, out var offer))
        {
            return state;
        }

        state = state with { Offers = state.Offers.Remove(offerId) };
        state = UpdateAgent(state, offer.AgentId, a => a with { Offered = a.Offered - offer.Resources });
        return UpdateFramework(state, offer.FrameworkId, f =>
        {
            var filters = f.Filters;
            if (refuseUntil is { } until && until > at && !offer.Resources.IsEmpty)
            {
                // The launches of an accept come before it and took their resources out of the offer, so what
                // is refused here is what was left over, as Mesos refuses the unused part of an accepted offer.
                filters = filters.SetItem(offer.AgentId, new OfferFilter(offer.Resources, until));
            }

            return f with { OfferedOn = Minus(f.OfferedOn, offer.AgentId, offer.Resources), Filters = filters };
        });
    }

    private static ClusterState OnTaskLaunched(ClusterState state, TaskLaunched e) =>
        LaunchTask(state, e.FrameworkId, e.Task, e.ExecutorId, e.OfferId, e.At);

    private static ClusterState OnTaskLaunchedOnExecutor(ClusterState state, TaskLaunchedOnExecutor e)
    {
        var key = new ExecutorKey(e.FrameworkId, e.Task.AgentId, e.Executor.ExecutorId);
        if (!state.Executors.ContainsKey(key))
        {
            // The executor's own resources come out of the offer before its first task's, as Mesos adds the
            // executor to the agent when it launches the first task on it.
            (state, var role) = TakeFromOffer(state, e.FrameworkId, e.Task.AgentId, e.OfferId, e.Executor.Resources);
            state = state with { Executors = state.Executors.SetItem(key, new ExecutorRecord(key, e.Executor, role)) };
            state = UpdateAgent(state, key.AgentId, a => a with { Used = a.Used + e.Executor.Resources });
            state = UpdateFramework(state, e.FrameworkId, f => f with { UsedOn = Plus(f.UsedOn, key.AgentId, e.Executor.Resources) });
        }

        return LaunchTask(state, e.FrameworkId, e.Task, e.Executor.ExecutorId, e.OfferId, e.At);
    }

    private static ClusterState OnTaskGroupLaunched(ClusterState state, TaskGroupLaunched e)
    {
        var agentId = e.Tasks[0].AgentId;
        var key = new ExecutorKey(e.FrameworkId, agentId, e.Executor.ExecutorId);
        if (!state.Executors.ContainsKey(key))
        {
            (state, var role) = TakeFromOffer(state, e.FrameworkId, agentId, e.OfferId, e.Executor.Resources);
            state = state with { Executors = state.Executors.SetItem(key, new ExecutorRecord(key, e.Executor, role) { Type = e.ExecutorType }) };
            state = UpdateAgent(state, agentId, a => a with { Used = a.Used + e.Executor.Resources });
            state = UpdateFramework(state, e.FrameworkId, f => f with { UsedOn = Plus(f.UsedOn, agentId, e.Executor.Resources) });
        }

        foreach (var task in e.Tasks)
        {
            state = LaunchTask(state, e.FrameworkId, task, e.Executor.ExecutorId, e.OfferId, e.At);
        }

        return state;
    }

    private static ClusterState OnExecutorTerminated(ClusterState state, ExecutorTerminated e) =>
        RemoveExecutors(state, x => x.Key == new ExecutorKey(e.FrameworkId, e.AgentId, e.ExecutorId));

    /// <summary>Forgets the executors that match and gives their own resources back (their tasks release theirs).</summary>
    private static ClusterState RemoveExecutors(ClusterState state, Func<ExecutorRecord, bool> match)
    {
        foreach (var executor in state.Executors.Values.Where(match).ToList())
        {
            var resources = executor.Info.Resources;
            state = state with { Executors = state.Executors.Remove(executor.Key) };
            state = UpdateAgent(state, executor.AgentId, a => a with { Used = a.Used - resources });
            state = UpdateFramework(state, executor.Key.FrameworkId, f => f with { UsedOn = Minus(f.UsedOn, executor.AgentId, resources) });
        }

        return state;
    }

    private static ClusterState LaunchTask(ClusterState state, FrameworkId frameworkId, TaskInfo info, ExecutorId executorId, OfferId offerId, DateTimeOffset at)
    {
        var key = new TaskKey(frameworkId, info.TaskId);
        (state, var role) = TakeFromOffer(state, frameworkId, info.AgentId, offerId, info.Resources);
        var staging = new TaskStatus(TaskState.Staging, null, string.Empty, StatusSource.Master, null, at);
        var task = new TaskRecord(key, info, executorId, role, TaskState.Staging, [staging], null, at, false, false);
        state = state with { Tasks = state.Tasks.SetItem(key, task) };
        state = UpdateAgent(state, info.AgentId, a => a with { Used = a.Used + info.Resources });
        return UpdateFramework(state, frameworkId, f => f with { UsedOn = Plus(f.UsedOn, info.AgentId, info.Resources) });
    }

    private static (ClusterState State, string Role) TakeFromOffer(ClusterState state, FrameworkId frameworkId, AgentId agentId, OfferId offerId, ResourceSet resources)
    {
        if (!state.Offers.TryGetValue(offerId, out var offer) || offer.FrameworkId != frameworkId || offer.AgentId != agentId)
        {
            return (state, Roles.Default);
        }

        // Decide puts an accept's launches before the offers are closed: each launch moves what it uses from
        // the offer to Used, so nothing is offered and used at once, and the offer ends up holding the leftovers.
        var left = offer.Resources - resources;
        var taken = offer.Resources - left;
        state = state with { Offers = state.Offers.SetItem(offer.Id, offer with { Resources = left }) };
        state = UpdateAgent(state, offer.AgentId, a => a with { Offered = a.Offered - taken });
        state = UpdateFramework(state, offer.FrameworkId, f => f with { OfferedOn = Minus(f.OfferedOn, offer.AgentId, taken) });
        return (state, offer.Role);
    }

    private static ClusterState OnTaskStatusUpdated(ClusterState state, TaskStatusUpdated e)
    {
        var key = new TaskKey(e.FrameworkId, e.TaskId);
        if (!state.Tasks.TryGetValue(key, out var task))
        {
            return state;
        }

        // Terminal states are sticky: a later update is kept in the history but does not move the task,
        // except a LOST task whose partitioned agent came back with it running.
        var nextState = TaskStateMachine.CanTransition(task.State, e.Status.State) ? e.Status.State : task.State;
        var updated = task with
        {
            State = nextState,
            Statuses = task.Statuses.Add(e.Status),
            PendingUuid = e.Status.Uuid ?? task.PendingUuid,
        };

        var releases = !task.ResourcesReleased && (TaskStateMachine.IsTerminal(nextState) || nextState == TaskState.Unreachable);
        var reacquires = task.ResourcesReleased && !TaskStateMachine.IsTerminal(nextState) && nextState != TaskState.Unreachable;
        if (releases)
        {
            state = ReleaseResources(state, task);
            updated = updated with { ResourcesReleased = true };
        }
        else if (reacquires)
        {
            state = UpdateAgent(state, task.AgentId, a => a with { Used = a.Used + task.Info.Resources });
            state = UpdateFramework(state, task.Key.FrameworkId, f => f with { UsedOn = Plus(f.UsedOn, task.AgentId, task.Info.Resources) });
            updated = updated with { ResourcesReleased = false };
        }

        return CompleteIfDone(state, updated);
    }

    private static ClusterState OnTaskStatusAcknowledged(ClusterState state, TaskStatusAcknowledged e)
    {
        var key = new TaskKey(e.FrameworkId, e.TaskId);
        if (!state.Tasks.TryGetValue(key, out var task) || task.PendingUuid != e.Uuid)
        {
            return state;
        }

        return CompleteIfDone(state, task with { PendingUuid = null });
    }

    /// <summary>A terminal task with nothing left to acknowledge moves to its framework's completed tasks.</summary>
    private static ClusterState CompleteIfDone(ClusterState state, TaskRecord task)
    {
        if (!task.IsTerminal || task.PendingUuid is not null)
        {
            return state with { Tasks = state.Tasks.SetItem(task.Key, task) };
        }

        state = state with { Tasks = state.Tasks.Remove(task.Key) };
        return UpdateFramework(state, task.Key.FrameworkId, f => f with { CompletedTasks = Capped(f.CompletedTasks.Add(task)) });
    }

    private static ImmutableList<TaskRecord> Capped(ImmutableList<TaskRecord> completed) =>
        completed.Count > ClusterState.MaxCompletedTasksPerFramework ? completed.RemoveAt(0) : completed;

    private static ClusterState ReleaseResources(ClusterState state, TaskRecord task)
    {
        if (task.ResourcesReleased)
        {
            return state;
        }

        state = UpdateAgent(state, task.AgentId, a => a with { Used = a.Used - task.Info.Resources });
        return UpdateFramework(state, task.Key.FrameworkId, f => f with { UsedOn = Minus(f.UsedOn, task.AgentId, task.Info.Resources) });
    }

    private static ImmutableSortedDictionary<AgentId, ResourceSet> Plus(ImmutableSortedDictionary<AgentId, ResourceSet> perAgent, AgentId agentId, ResourceSet resources) =>
        resources.IsEmpty ? perAgent : perAgent.SetItem(agentId, perAgent.TryGetValue(agentId, out var current) ? current + resources : resources);

    private static ImmutableSortedDictionary<AgentId, ResourceSet> Minus(ImmutableSortedDictionary<AgentId, ResourceSet> perAgent, AgentId agentId, ResourceSet resources)
    {
        if (!perAgent.TryGetValue(agentId, out var current))
        {
            return perAgent;
        }

        var left = current - resources;
        return left.IsEmpty ? perAgent.Remove(agentId) : perAgent.SetItem(agentId, left);
    }

    internal static ClusterState RescindOffersOnAgent(ClusterState state, AgentId agentId)
    {
        foreach (var offer in state.Offers.Values.Where(o => o.AgentId == agentId).ToList())
        {
            state = CloseOffer(state, offer.Id, refuseUntil: null, offer.MadeAt);
        }

        return state;
    }

    private static ClusterState RescindOffersOf(ClusterState state, FrameworkId frameworkId)
    {
        foreach (var offer in state.Offers.Values.Where(o => o.FrameworkId == frameworkId).ToList())
        {
            state = CloseOffer(state, offer.Id, refuseUntil: null, offer.MadeAt);
        }

        return state;
    }

    private static ClusterState UpdateAgent(ClusterState state, AgentId id, Func<AgentState, AgentState> update) =>
        state.Agents.TryGetValue(id, out var agent) ? state with { Agents = state.Agents.SetItem(id, update(agent)) } : state;

    private static ClusterState UpdateFramework(ClusterState state, FrameworkId id, Func<FrameworkState, FrameworkState> update) =>
        state.Frameworks.TryGetValue(id, out var framework) ? state with { Frameworks = state.Frameworks.SetItem(id, update(framework)) } : state;

    private static ClusterState UpdateTask(ClusterState state, TaskKey key, Func<TaskRecord, TaskRecord> update) =>
        state.Tasks.TryGetValue(key, out var task) ? state with { Tasks = state.Tasks.SetItem(key, update(task)) } : state;
}
