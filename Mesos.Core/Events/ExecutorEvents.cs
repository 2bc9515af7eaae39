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
