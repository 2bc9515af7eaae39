using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Events;

/// <summary>
/// GROW_VOLUME (an offer operation, or the operator's call): the persistent <paramref name="Volume"/> takes in
/// <paramref name="Addition"/>, plain disk of the same reservation, and is that much larger; in the agent's total, and
/// in <paramref name="OfferId"/> when made from an offer. Both sets hold one resource. The agent's directory is
/// unchanged: a directory-backed volume has no size to change on the host.
/// </summary>
public sealed record VolumeGrown(AgentId AgentId, ResourceSet Volume, ResourceSet Addition, OfferId? OfferId) : ClusterEvent;

/// <summary>
/// SHRINK_VOLUME: the persistent <paramref name="Volume"/> gives <paramref name="Freed"/> back, plain disk of the same
/// reservation (as much as the operation subtracts), and is that much smaller. Both sets hold one resource.
/// </summary>
public sealed record VolumeShrunk(AgentId AgentId, ResourceSet Volume, ResourceSet Freed, OfferId? OfferId) : ClusterEvent;
