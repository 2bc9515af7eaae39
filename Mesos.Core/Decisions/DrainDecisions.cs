using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.State;

namespace Mesos.Core.Decisions;

/// <summary>
/// DRAIN_AGENT, as Mesos 1.11's <c>Master::Http::_drainAgent</c> and <c>Master::checkAndTransitionDrainingAgent</c>:
/// an agent the master admitted and has not removed (registered, disconnected or unreachable) can be drained, again
/// too; a draining agent that is registered becomes DRAINED as soon as it has no task left (a task leaves once its
/// terminal update is acknowledged), and with <c>mark_gone</c> it is then marked gone as MARK_AGENT_GONE does.
/// </summary>
public static class DrainDecisions
{
    /// <summary>Mesos' answer (400) for an agent it never admitted, or one already gone.</summary>
    public const string UnknownAgent = "Unknown agent";

    /// <summary>Mesos refuses REACTIVATE_AGENT (400) until the drain has finished.</summary>
    public const string StillDraining = "Agent is still in the DRAINING state";

    public static Decision Drain(ClusterState state, DrainAgent c, DateTimeOffset now)
    {
        if (!state.Agents.TryGetValue(c.AgentId, out var agent) || agent.Status == AgentStatus.Removed)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, UnknownAgent);
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
