using Mesos.Core.Resources;

namespace Mesos.Core.Reservations;

/// <summary>
/// One RESERVE or UNRESERVE of an ACCEPT. For RESERVE, <paramref name="Resources"/> are the target resources (the
/// new reservation pushed on their stacks); for UNRESERVE, the reserved resources whose last reservation goes.
/// For GROW_VOLUME and SHRINK_VOLUME, <paramref name="Resources"/> is the volume, and <see cref="Addition"/> or
/// <see cref="Subtract"/> says by how much.
/// </summary>
public sealed record ReservationOperation(ReservationOperationKind Kind, ResourceSet Resources)
{
    /// <summary>GROW_VOLUME's <c>addition</c>: disk of the volume's reservation, without a DiskInfo.</summary>
    public ResourceSet Addition { get; init; } = ResourceSet.Empty;

    /// <summary>SHRINK_VOLUME's <c>subtract</c>.</summary>
    public ScalarValue Subtract { get; init; }
}
