using Mesos.Core.Collections;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.Events;

/// <summary>
/// A task group (LAUNCH_GROUP) was accepted out of an offer, all of it at once: every task is STAGING on
/// <paramref name="Executor"/>, which also takes its own resources from the offer when it is new on the agent. A
/// DEFAULT executor (<paramref name="ExecutorType"/>) is the agent's built-in one and has an empty command.
/// <paramref name="Details"/> (what only the agent uses) is aligned with <paramref name="Tasks"/>.
/// </summary>
public sealed record TaskGroupLaunched(
    FrameworkId FrameworkId,
    ExecutorInfo Executor,
    ExecutorType ExecutorType,
    ValueArray<TaskInfo> Tasks,
    ValueArray<TaskLaunchDetails> Details,
    OfferId OfferId) : ClusterEvent;
