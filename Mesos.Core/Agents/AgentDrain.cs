namespace Mesos.Core.Agents;

/// <summary>
/// An agent's drain, as Mesos' registry keeps it (<c>Registry.Slave.drain_info</c>): the operator's config and
/// how far it got. <see cref="StartedAt"/> is the master's time of the DRAIN_AGENT call, which Mesos reports as
/// <c>estimated_drain_start_time</c>.
/// </summary>
/// <param name="MaxGracePeriodNanoseconds">The longest kill grace period the agent may give a task; null: each task's own.</param>
/// <param name="MarkGone">Whether the agent is marked gone once drained.</param>
public sealed record AgentDrain(DrainState State, long? MaxGracePeriodNanoseconds, bool MarkGone, DateTimeOffset StartedAt);
