using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Events;

/// <summary>
/// RESERVE (an offer operation, or the operator's RESERVE_RESOURCES): <paramref name="Resources"/> now carry the
/// reservation pushed on their stacks, and the same quantities with that reservation popped are gone from the
/// agent's total. When made from <paramref name="OfferId"/>, the offer holds the reserved resources from now on, so
/// later operations of the same ACCEPT can launch on them.
/// </summary>
public sealed record ResourcesReserved(AgentId AgentId, ResourceSet Resources, OfferId? OfferId) : ClusterEvent;

/// <summary>UNRESERVE: the last (dynamic) reservation of each of <paramref name="Resources"/> is popped.</summary>
public sealed record ResourcesUnreserved(AgentId AgentId, ResourceSet Resources, OfferId? OfferId) : ClusterEvent;
