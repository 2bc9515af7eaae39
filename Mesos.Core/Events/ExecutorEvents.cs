using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.Events;

/// <summary>
/// A task was accepted out of an offer to run on a custom executor (its TaskInfo has no command). The first task of
/// an executor on an agent also takes the executor's own resources from the offer.
/// </summary>
public sealed record TaskLaunchedOnExecutor(FrameworkId FrameworkId, TaskInfo Task, ExecutorInfo Executor, OfferId OfferId) : ClusterEvent;

/// <summary>The agent reported that a custom executor ended (exit status when known); its resources are free again.</summary>
public sealed record ExecutorTerminated(FrameworkId FrameworkId, AgentId AgentId, ExecutorId ExecutorId, int? ExitStatus) : ClusterEvent;

/// <summary>
/// The framework asked for the executor to be shut down (SHUTDOWN): the agent sends it SHUTDOWN and destroys it after
/// its grace period. Nothing changes in the master's state until the agent reports the end (<see cref="ExecutorTerminated"/>);
/// the event exists so that the order to the agent is durable before it leaves, as every kill is, and so the
/// history says who ended the executor.
/// </summary>
public sealed record ExecutorShutdownRequested(FrameworkId FrameworkId, AgentId AgentId, ExecutorId ExecutorId) : ClusterEvent;
