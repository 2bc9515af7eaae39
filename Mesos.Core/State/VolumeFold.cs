using Mesos.Core.Events;
using Mesos.Core.Resources;

namespace Mesos.Core.State;

/// <summary>
/// CREATE, DESTROY, GROW_VOLUME and SHRINK_VOLUME in the fold: the same conversion as a reservation's, between disk with and without its
/// persistent volume, on the agent's total and (from an ACCEPT) on the offer.
/// </summary>
internal static class VolumeFold
{
    public static ClusterState Apply(ClusterState state, VolumesCreated e) =>
        ReservationFold.Convert(state, e.AgentId, WithoutVolumes(e.Volumes), e.Volumes, e.OfferId);

    public static ClusterState Apply(ClusterState state, VolumesDestroyed e) =>
        ReservationFold.Convert(state, e.AgentId, e.Volumes, WithoutVolumes(e.Volumes), e.OfferId);

    /// <summary>GROW_VOLUME: the volume and its addition become the grown volume.</summary>
    public static ClusterState Apply(ClusterState state, VolumeGrown e) =>
        ReservationFold.Convert(state, e.AgentId, e.Volume + e.Addition, Grown(e.Volume, e.Addition), e.OfferId);

    /// <summary>SHRINK_VOLUME: the volume becomes the shrunk volume and the freed disk.</summary>
    public static ClusterState Apply(ClusterState state, VolumeShrunk e) =>
        ReservationFold.Convert(state, e.AgentId, e.Volume, Shrunk(e.Volume, e.Freed) + e.Freed, e.OfferId);

    /// <summary>What GROW_VOLUME gives back: the volume, larger by the addition.</summary>
    public static ResourceSet Grown(ResourceSet volume, ResourceSet addition) =>
        ResourceSet.Of(volume.Entries.Select(v => v.WithScalar(v.Scalar + addition.Scalar(v.Name))));

    /// <summary>What SHRINK_VOLUME frees: <paramref name="subtract"/> of the volume's disk, without its DiskInfo.</summary>
    public static ResourceSet Freed(ResourceSet volume, ScalarValue subtract) =>
        ResourceSet.Of(volume.Entries.Select(v => v.WithVolume(null).WithScalar(subtract)));

    /// <summary>What SHRINK_VOLUME leaves of the volume once <paramref name="freed"/> is given back.</summary>
    public static ResourceSet Shrunk(ResourceSet volume, ResourceSet freed) =>
        ResourceSet.Of(volume.Entries.Select(v => v.WithScalar(v.Scalar - freed.Scalar(v.Name))));

    public static ResourceSet WithoutVolumes(ResourceSet resources) => ResourceSet.Of(resources.Entries.Select(r => r.WithVolume(null)));
}
