using System.Collections.Immutable;
using Mesos.Core.Collections;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.Commands;

/// <summary>ACCEPT with LAUNCH operations; the offers' unused resources are refused for <paramref name="RefuseSeconds"/> (default 5).</summary>
public sealed record AcceptOffers(FrameworkId FrameworkId, ValueArray<OfferId> OfferIds, ValueArray<TaskInfo> Tasks, double? RefuseSeconds) : MasterCommand
{
    /// <summary>The ExecutorInfo of each task launched on a custom executor, by task id (a task has it or a command).</summary>
    public ImmutableDictionary<TaskId, ExecutorInfo> Executors { get; init; } = ImmutableDictionary<TaskId, ExecutorInfo>.Empty;
}
