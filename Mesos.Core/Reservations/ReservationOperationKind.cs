namespace Mesos.Core.Reservations;

/// <summary>The reservation operations of Mesos' Offer.Operation (and the operator's RESERVE_RESOURCES / UNRESERVE_RESOURCES), and the volume operations CREATE / DESTROY that change resources the same way.</summary>
public enum ReservationOperationKind
{
    Reserve = 0,
    Unreserve = 1,

    /// <summary>CREATE: persistent volumes on reserved disk (the resources carry their DiskInfo).</summary>
    Create = 2,

    /// <summary>DESTROY: the persistent volumes go, their disk stays reserved.</summary>
    Destroy = 3,
}
