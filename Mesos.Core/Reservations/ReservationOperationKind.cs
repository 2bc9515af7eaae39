namespace Mesos.Core.Reservations;

/// <summary>The reservation operations of Mesos' Offer.Operation (and the operator's RESERVE_RESOURCES / UNRESERVE_RESOURCES).</summary>
public enum ReservationOperationKind
{
    Reserve = 0,
    Unreserve = 1,
}
