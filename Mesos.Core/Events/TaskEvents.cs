using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.Events;

/// <summary>A task was accepted out of an offer and is STAGING; the launch goes to its agent once this is durable.</summary>
public sealed record TaskLaunched(FrameworkId FrameworkId, TaskInfo Task, ExecutorId ExecutorId, OfferId OfferId) : ClusterEvent;

public sealed record TaskStatusUpdated(FrameworkId FrameworkId, TaskId TaskId, AgentId AgentId, TaskStatus Status) : ClusterEvent;

/// <summary>The framework acknowledged the update with <paramref name="Uuid"/>; the agent may send the next one.</summary>
public sealed record TaskStatusAcknowledged(FrameworkId FrameworkId, TaskId TaskId, AgentId AgentId, Guid Uuid) : ClusterEvent;

public sealed record TaskKillRequested(FrameworkId FrameworkId, TaskId TaskId, AgentId AgentId, TimeSpan? GracePeriod) : ClusterEvent;
