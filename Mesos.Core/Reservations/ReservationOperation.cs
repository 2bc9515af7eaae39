using Mesos.Core.Resources;

namespace Mesos.Core.Reservations;

/// <summary>
/// One RESERVE or UNRESERVE of an ACCEPT. For RESERVE, <paramref name="Resources"/> are the target resources (the
/// new reservation pushed on their stacks); for UNRESERVE, the reserved resources whose last reservation goes.
/// </summary>
public sealed record ReservationOperation(ReservationOperationKind Kind, ResourceSet Resources);
