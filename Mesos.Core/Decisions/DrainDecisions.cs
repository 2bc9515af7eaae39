using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.State;

namespace Mesos.Core.Decisions;

/// <summary>
/// DRAIN_AGENT, as Mesos 1.11's <c>Master::Http::drainAgent</c>, <c>_drainAgent</c> and
/// <c>Master::checkAndTransitionDrainingAgent</c>: an agent the master admitted and has not removed (registered,
/// disconnected or unreachable) can be drained, again too, unless it is registered on a machine of the maintenance
/// schedule (DRAINING or DOWN: the two features are not to be mixed on one machine; Mesos only checks agents it has a
/// connection record for, so an unreachable one is let through). A draining agent that is registered becomes DRAINED
/// as soon as it has no task left (a task leaves once its terminal update is acknowledged), and with <c>mark_gone</c>
/// it is then marked gone as MARK_AGENT_GONE does. The other way round Mesos has no check: a schedule or
/// START_MAINTENANCE may name the machine of a draining agent (<see cref="MaintenanceDecisions"/>).
/// </summary>
public static class DrainDecisions
{
    /// <summary>Mesos' answer (400) for an agent it never admitted, or one already gone.</summary>
    public const string UnknownAgent = "Unknown agent";

    /// <summary>Mesos refuses REACTIVATE_AGENT (400) until the drain has finished.</summary>
    public const string StillDraining = "Agent is still in the DRAINING state";

    /// <summary>Mesos' answer (400) for a registered agent whose machine is in the maintenance schedule.</summary>
    public static string InMaintenanceSchedule(AgentId agent, MachineId scheduled) =>
        $"Agent {agent} is part of a maintenance schedule under Machine {scheduled.ToMesosString()}";

    public static Decision Drain(ClusterState state, DrainAgent c, DateTimeOffset now)
    {
        if (!state.Agents.TryGetValue(c.AgentId, out var agent) || agent.Status == AgentStatus.Removed)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, UnknownAgent);
        }

        if (agent.Status is AgentStatus.Active or AgentStatus.Disconnected && Scheduled(state, agent.Machine) is { } scheduled)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, InMaintenanceSchedule(c.AgentId, scheduled));
        }

        var started = new AgentDrainStarted(c.AgentId, c.MaxGracePeriodNanoseconds, c.MarkGone) { At = now, Principal = c.Principal };
        return Decision.Of([started, .. Complete(ClusterFold.Apply(state, started), c.AgentId, c.Principal, now)]);
    }

    /// <summary>
    /// The events that end a drain because of <paramref name="decision"/>: an acknowledged terminal update, a task
    /// the master ended, a framework removed with its tasks, or a re-registration may leave a draining agent empty.
    /// Only the agents those events touch are looked at, so a cluster without drains pays nothing.
    /// </summary>
    public static Decision FollowUp(ClusterState state, Decision decision, string principal, DateTimeOffset now)
    {
        if (decision.IsError || decision.Events.IsEmpty)
        {
            return decision;
        }

        SortedSet<AgentId>? candidates = null;
        foreach (var @event in decision.Events)
        {
            AgentId? touched = @event switch
            {
                TaskStatusAcknowledged e => e.AgentId,
                TaskStatusUpdated e => e.AgentId,
                AgentReregistered e => e.AgentId,
                _ => null,
            };
            if (touched is { } id && IsDraining(state, id))
            {
                (candidates ??= []).Add(id);
            }

            if (@event is FrameworkRemoved)
            {
                foreach (var draining in state.Agents.Values.Where(a => a.Drain is { State: DrainState.Draining }))
                {
                    (candidates ??= []).Add(draining.Id);
                }
            }
        }

        if (candidates is null)
        {
            return decision;
        }

        var after = ClusterFold.ApplyAll(state, decision.Events);
        var events = decision.Events.ToList();
        foreach (var id in candidates)
        {
            var more = Complete(after, id, principal, now);
            events.AddRange(more);
            after = ClusterFold.ApplyAll(after, more);
        }

        return events.Count == decision.Events.Length ? decision : Decision.Of(events);
    }

    /// <summary>The schedule's id of <paramref name="machine"/> (its hostname as the operator wrote it), if it is scheduled.</summary>
    private static MachineId? Scheduled(ClusterState state, MachineId machine)
    {
        foreach (var scheduled in state.Maintenance.Schedule.SelectMany(w => w.Machines))
        {
            if (scheduled == machine)
            {
                return scheduled;
            }
        }

        return null;
    }

    private static bool IsDraining(ClusterState state, AgentId id) =>
        state.Agents.TryGetValue(id, out var agent) && agent.Drain is { State: DrainState.Draining };

    /// <summary>DRAINED (and gone, if asked) when the agent is registered with this master and runs no task the master knows.</summary>
    private static List<ClusterEvent> Complete(ClusterState state, AgentId id, string principal, DateTimeOffset now)
    {
        if (!state.Agents.TryGetValue(id, out var agent)
            || agent.Drain is not { State: DrainState.Draining } drain
            || agent.Status is not (AgentStatus.Active or AgentStatus.Disconnected)
            || state.TasksOn(id).Any())
        {
            return [];
        }

        var drained = new AgentDrained(id) { At = now, Principal = principal };
        List<ClusterEvent> events = [drained];
        if (drain.MarkGone)
        {
            events.AddRange(ClusterDecider.MarkAgentGone(ClusterFold.Apply(state, drained), new MarkAgentGone(id) { Principal = principal }, now).Events);
        }

        return events;
    }
}
