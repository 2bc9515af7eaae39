using Mesos.Core.Ids;

namespace Mesos.Core.Events;

/// <summary>
/// An operator drains the agent (DRAIN_AGENT; Mesos' registry operation <c>DrainAgent</c>): it is deactivated, its
/// offers are rescinded and it is told to kill its tasks. Draining an agent again replaces the config and restarts
/// the drain, as Mesos does.
/// </summary>
public sealed record AgentDrainStarted(AgentId AgentId, long? MaxGracePeriodNanoseconds, bool MarkGone) : ClusterEvent;

/// <summary>Every task of the draining agent ended and its end was acknowledged (Mesos' <c>MarkAgentDrained</c>).</summary>
public sealed record AgentDrained(AgentId AgentId) : ClusterEvent;
