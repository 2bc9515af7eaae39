using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Events;

/// <summary>
/// The allocator ran at <see cref="ClusterEvent.At"/> with tie-break seed <paramref name="Seed"/> and made
/// <paramref name="OffersMade"/> offers, which follow
/// in the same batch. Replaying the allocator on the state before this event must give the same offers.
/// Cycles that offer nothing are not recorded.
/// </summary>
public sealed record AllocationCycleRan(long Cycle, long Seed, int OffersMade) : ClusterEvent;

public sealed record OfferMade(OfferId OfferId, FrameworkId FrameworkId, AgentId AgentId, string Role, ResourceSet Resources) : ClusterEvent;

/// <summary>Declined; the framework refuses these resources on this agent until <paramref name="RefuseUntil"/>.</summary>
public sealed record OfferDeclined(OfferId OfferId, DateTimeOffset RefuseUntil) : ClusterEvent;

/// <summary>Accepted; what its launches did not use is refused until <paramref name="RefuseUntil"/>.</summary>
public sealed record OfferAccepted(OfferId OfferId, DateTimeOffset RefuseUntil) : ClusterEvent;

public sealed record OfferRescinded(OfferId OfferId, string Reason) : ClusterEvent;
