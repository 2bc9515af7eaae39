using Mesos.Core.Collections;

namespace Mesos.Core.Resources;

/// <summary>
/// One entry of a resource's reservation stack (Mesos' Resource.ReservationInfo). The stack grows by refinement:
/// <c>eng</c> reserved statically, then <c>eng/web</c> dynamically on top; the last entry is the current role.
/// </summary>
public sealed record ResourceReservation(ReservationType Type, string Role, string? Principal, ValueArray<ReservationLabel> Labels)
{
    public static ResourceReservation Static(string role) => new(ReservationType.Static, role, null, ValueArray<ReservationLabel>.Empty);

    public static ResourceReservation Dynamic(string role, string? principal, ValueArray<ReservationLabel> labels = default) =>
        new(ReservationType.Dynamic, role, string.IsNullOrEmpty(principal) ? null : principal, labels);

    public bool IsDynamic => Type == ReservationType.Dynamic;

    /// <summary>An order over reservations, so that resource sets holding several stacks sort the same everywhere.</summary>
    public static int Compare(ResourceReservation a, ResourceReservation b)
    {
        var c = a.Type.CompareTo(b.Type);
        c = c != 0 ? c : string.CompareOrdinal(a.Role, b.Role);
        c = c != 0 ? c : string.CompareOrdinal(a.Principal, b.Principal);
        c = c != 0 ? c : a.Labels.Count.CompareTo(b.Labels.Count);
        for (var i = 0; c == 0 && i < a.Labels.Count; i++)
        {
            c = string.CompareOrdinal(a.Labels[i].Key, b.Labels[i].Key);
            c = c != 0 ? c : string.CompareOrdinal(a.Labels[i].Value, b.Labels[i].Value);
        }

        return c;
    }
}
