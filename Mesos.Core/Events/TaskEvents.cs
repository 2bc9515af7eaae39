using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.Events;

/// <summary>
/// A task was accepted out of an offer and is STAGING; the launch goes to its agent once this is durable. Version 1
/// of the stored event: only old logs hold it, new launches are <see cref="TaskLaunchedV2"/>. Not sealed so that
/// every reader of a launch (fold, projections, router) takes both versions alike.
/// </summary>
public record TaskLaunched(FrameworkId FrameworkId, TaskInfo Task, ExecutorId ExecutorId, OfferId OfferId) : ClusterEvent;

/// <summary>
/// Version 2 of TaskLaunched: the launch with what only the agent uses (URIs, health check, labels). It folds
/// exactly as version 1; the details travel to the agent and nowhere else.
/// </summary>
public sealed record TaskLaunchedV2(FrameworkId FrameworkId, TaskInfo Task, ExecutorId ExecutorId, OfferId OfferId, TaskLaunchDetails Details)
    : TaskLaunched(FrameworkId, Task, ExecutorId, OfferId);

public sealed record TaskStatusUpdated(FrameworkId FrameworkId, TaskId TaskId, AgentId AgentId, TaskStatus Status) : ClusterEvent;

/// <summary>The framework acknowledged the update with <paramref name="Uuid"/>; the agent may send the next one.</summary>
public sealed record TaskStatusAcknowledged(FrameworkId FrameworkId, TaskId TaskId, AgentId AgentId, Guid Uuid) : ClusterEvent;

public sealed record TaskKillRequested(FrameworkId FrameworkId, TaskId TaskId, AgentId AgentId, TimeSpan? GracePeriod) : ClusterEvent;
