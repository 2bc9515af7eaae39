using Mesos.Core.Collections;
using Mesos.Core.Ids;
using Mesos.Core.Reservations;
using Mesos.Core.Tasks;

namespace Mesos.Core.Commands;

/// <summary>
/// ACCEPT with LAUNCH operations; the offers' unused resources are refused for <paramref name="RefuseSeconds"/> (default 5).
/// <see cref="Reservations"/> (RESERVE / UNRESERVE) apply first, in order, so the launches can use what they reserve.
/// </summary>
public sealed record AcceptOffers(FrameworkId FrameworkId, ValueArray<OfferId> OfferIds, ValueArray<TaskInfo> Tasks, double? RefuseSeconds) : MasterCommand
{
    public ValueArray<ReservationOperation> Reservations { get; init; } = ValueArray<ReservationOperation>.Empty;
}
