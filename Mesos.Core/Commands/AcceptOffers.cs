using System.Collections.Immutable;
using Mesos.Core.Collections;
using Mesos.Core.Ids;
using Mesos.Core.Reservations;
using Mesos.Core.Tasks;

namespace Mesos.Core.Commands;

/// <summary>
/// ACCEPT with LAUNCH operations; the offers' unused resources are refused for <paramref name="RefuseSeconds"/>
/// (default 5). <paramref name="Details"/> holds, by task id, what of each task only its agent uses (URIs, health
/// check, labels); a task without an entry has none. <see cref="Reservations"/> (RESERVE / UNRESERVE) apply first,
/// in order, so the launches can use what they reserve.
/// </summary>
public sealed record AcceptOffers(
    FrameworkId FrameworkId,
    ValueArray<OfferId> OfferIds,
    ValueArray<TaskInfo> Tasks,
    double? RefuseSeconds,
    IReadOnlyDictionary<TaskId, TaskLaunchDetails>? Details = null) : MasterCommand
{
    /// <summary>The ExecutorInfo of each task launched on a custom executor, by task id (a task has it or a command).</summary>
    public ImmutableDictionary<TaskId, ExecutorInfo> Executors { get; init; } = ImmutableDictionary<TaskId, ExecutorInfo>.Empty;

    public ValueArray<ReservationOperation> Reservations { get; init; } = ValueArray<ReservationOperation>.Empty;

    /// <summary>LAUNCH_GROUP operations, after the LAUNCH tasks; each group is launched whole or not at all.</summary>
    public ValueArray<TaskGroupLaunch> Groups { get; init; } = ValueArray<TaskGroupLaunch>.Empty;
}
