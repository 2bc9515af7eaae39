using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Events;

/// <summary>
/// CREATE (an offer operation, or the operator's CREATE_VOLUMES): <paramref name="Volumes"/> (reserved disk with a
/// persistent volume) replace the same disk without one in the agent's total, and in <paramref name="OfferId"/> when
/// made from an offer, so later operations of the same ACCEPT can launch on them.
/// </summary>
public sealed record VolumesCreated(AgentId AgentId, ResourceSet Volumes, OfferId? OfferId) : ClusterEvent;

/// <summary>DESTROY: <paramref name="Volumes"/> go back to plain reserved disk; the agent removes their data.</summary>
public sealed record VolumesDestroyed(AgentId AgentId, ResourceSet Volumes, OfferId? OfferId) : ClusterEvent;
