using System.Collections.Immutable;
using Mesos.Core.Collections;
using Mesos.Core.Ids;

namespace Mesos.Core.Tasks;

/// <summary>
/// One LAUNCH_GROUP operation of an ACCEPT: a task group and the executor that runs it, as the framework sent them.
/// <see cref="Type"/> is null when the framework left <c>ExecutorInfo.type</c> unset; <see cref="ExecutorHasCommand"/>
/// says whether it set <c>ExecutorInfo.command</c> (a DEFAULT executor must not, a CUSTOM one must).
/// <see cref="TaskExecutors"/> holds the ExecutorInfo a task named itself, by task id (it must be the group's).
/// <see cref="Details"/> is aligned with <see cref="Tasks"/>.
/// </summary>
public sealed record TaskGroupLaunch(
    ExecutorInfo Executor,
    ExecutorType? Type,
    bool ExecutorHasCommand,
    ValueArray<TaskInfo> Tasks,
    ValueArray<TaskLaunchDetails> Details)
{
    public ImmutableDictionary<TaskId, ExecutorInfo> TaskExecutors { get; init; } = ImmutableDictionary<TaskId, ExecutorInfo>.Empty;
}
