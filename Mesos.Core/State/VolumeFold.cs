using Mesos.Core.Events;
using Mesos.Core.Resources;

namespace Mesos.Core.State;

/// <summary>
/// CREATE and DESTROY in the fold: the same conversion as a reservation's, between disk with and without its
/// persistent volume, on the agent's total and (from an ACCEPT) on the offer.
/// </summary>
internal static class VolumeFold
{
    public static ClusterState Apply(ClusterState state, VolumesCreated e) =>
        ReservationFold.Convert(state, e.AgentId, WithoutVolumes(e.Volumes), e.Volumes, e.OfferId);

    public static ClusterState Apply(ClusterState state, VolumesDestroyed e) =>
        ReservationFold.Convert(state, e.AgentId, e.Volumes, WithoutVolumes(e.Volumes), e.OfferId);

    public static ResourceSet WithoutVolumes(ResourceSet resources) => ResourceSet.Of(resources.Entries.Select(r => r.WithVolume(null)));
}
