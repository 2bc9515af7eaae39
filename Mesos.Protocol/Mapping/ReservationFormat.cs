namespace Mesos.Protocol.Mapping;

/// <summary>How reservations are written on the wire, as Mesos' <c>ResourceFormat</c>.</summary>
public enum ReservationFormat
{
    /// <summary>For endpoints and the operator API: the stack in <c>reservations</c>, and <c>role</c> (plus <c>reservation</c> for a dynamic one) when there is at most one reservation.</summary>
    Endpoint = 0,

    /// <summary>For frameworks without RESERVATION_REFINEMENT: <c>role</c>, and <c>reservation</c> when dynamic.</summary>
    PreRefinement = 1,

    /// <summary>For frameworks with RESERVATION_REFINEMENT: the stack in <c>reservations</c> only.</summary>
    PostRefinement = 2,
}
