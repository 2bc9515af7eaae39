namespace Mesos.Core.Reservations;

/// <summary>The reservation operations of Mesos' Offer.Operation (and the operator's RESERVE_RESOURCES / UNRESERVE_RESOURCES), and the volume operations CREATE / DESTROY / GROW_VOLUME / SHRINK_VOLUME that change resources the same way.</summary>
public enum ReservationOperationKind
{
    Reserve = 0,
    Unreserve = 1,

    /// <summary>CREATE: persistent volumes on reserved disk (the resources carry their DiskInfo).</summary>
    Create = 2,

    /// <summary>DESTROY: the persistent volumes go, their disk stays reserved.</summary>
    Destroy = 3,

    /// <summary>GROW_VOLUME: a persistent volume takes in more disk of its reservation.</summary>
    GrowVolume = 4,

    /// <summary>SHRINK_VOLUME: a persistent volume gives part of its disk back to its reservation.</summary>
    ShrinkVolume = 5,
}
