using System.Collections.Immutable;
using System.Globalization;

namespace Mesos.Core.Resources;

/// <summary>
/// One named resource for one role: <c>cpus:2</c>, <c>ports(web):[80-80]</c>, <c>bugs:{a,b}</c>.
/// Exactly one of <see cref="Scalar"/>, <see cref="Ranges"/> and <see cref="Items"/> is meaningful, by <see cref="Kind"/>.
/// A reserved resource carries its reservation stack (<see cref="Reservations"/>); its role is the last entry's.
/// </summary>
public sealed class Resource : IEquatable<Resource>
{
    public const string UnreservedRole = "*";

    private Resource(string name, ImmutableArray<ResourceReservation> reservations, ResourceKind kind, ScalarValue scalar, RangeSet ranges, ItemSet items, DiskVolume? volume = null)
    {
        Volume = volume;
        Name = name;
        Reservations = reservations;
        Role = reservations.IsEmpty ? UnreservedRole : reservations[^1].Role;
        Kind = kind;
        Scalar = scalar;
        Ranges = ranges;
        Items = items;
    }

    public string Name { get; }

    /// <summary>The role the resource is reserved for, or <c>*</c> when unreserved.</summary>
    public string Role { get; }

    /// <summary>The reservation stack, bottom first: empty when unreserved, one static entry for <c>cpus(eng)</c>.</summary>
    public ImmutableArray<ResourceReservation> Reservations { get; }

    /// <summary>Whether any reservation of the stack is dynamic (made by RESERVE, undone by UNRESERVE).</summary>
    public bool IsDynamicallyReserved => Reservations.Any(r => r.IsDynamic);

    /// <summary>Whether the stack holds more than one reservation, which frameworks without RESERVATION_REFINEMENT cannot read.</summary>
    public bool IsRefined => Reservations.Length > 1;

    public ResourceKind Kind { get; }

    /// <summary>The persistent volume this disk holds (Mesos' DiskInfo persistence and volume), or null.</summary>
    public DiskVolume? Volume { get; }

    public bool IsPersistentVolume => Volume is not null;

    public ScalarValue Scalar { get; }

    public RangeSet Ranges { get; }

    public ItemSet Items { get; }

    public bool IsReserved => Role != UnreservedRole;

    public bool IsEmpty => Kind switch
    {
        ResourceKind.Scalar => !Scalar.IsPositive,
        ResourceKind.Ranges => Ranges.IsEmpty,
        ResourceKind.Set => Items.IsEmpty,
        _ => true,
    };

    public static Resource OfScalar(string name, ScalarValue value, string role = UnreservedRole) =>
        new(name, StaticStack(role), ResourceKind.Scalar, value, RangeSet.Empty, ItemSet.Empty);

    public static Resource OfScalar(string name, double value, string role = UnreservedRole) =>
        OfScalar(name, ScalarValue.FromDouble(value), role);

    public static Resource OfRanges(string name, RangeSet ranges, string role = UnreservedRole) =>
        new(name, StaticStack(role), ResourceKind.Ranges, ScalarValue.Zero, ranges, ItemSet.Empty);

    public static Resource OfSet(string name, ItemSet items, string role = UnreservedRole) =>
        new(name, StaticStack(role), ResourceKind.Set, ScalarValue.Zero, RangeSet.Empty, items);

    private static ImmutableArray<ResourceReservation> StaticStack(string role) =>
        role == UnreservedRole ? ImmutableArray<ResourceReservation>.Empty : [ResourceReservation.Static(role)];

    /// <summary>The same quantity with another reservation stack (empty: unreserved).</summary>
    public Resource WithReservations(ImmutableArray<ResourceReservation> reservations) =>
        new(Name, reservations.IsDefault ? ImmutableArray<ResourceReservation>.Empty : reservations, Kind, Scalar, Ranges, Items, Volume);

    /// <summary>CREATE (a volume) or DESTROY (null): the same quantity and reservations with another DiskInfo.</summary>
    public Resource WithVolume(DiskVolume? volume) => new(Name, Reservations, Kind, Scalar, Ranges, Items, volume);

    /// <summary>GROW_VOLUME / SHRINK_VOLUME: a scalar with the same name, reservations and DiskInfo but another size.</summary>
    public Resource WithScalar(ScalarValue value) =>
        Kind == ResourceKind.Scalar ? new(Name, Reservations, Kind, value, RangeSet.Empty, ItemSet.Empty, Volume) : throw new InvalidOperationException($"{Name} is not a scalar resource");

    /// <summary>RESERVE: the same quantity refined onto <paramref name="reservation"/>.</summary>
    public Resource PushReservation(ResourceReservation reservation) => WithReservations(Reservations.Add(reservation));

    /// <summary>UNRESERVE: the same quantity back on the reservation below the last one (unreserved when none).</summary>
    public Resource PopReservation() => Reservations.IsEmpty ? this : WithReservations(Reservations.RemoveAt(Reservations.Length - 1));

    /// <summary>Whether two resources may be added or subtracted: same name, reservation stack and kind.</summary>
    public bool IsSameSlot(Resource other) =>
        Name == other.Name && Kind == other.Kind && Role == other.Role && SameStack(Reservations, other.Reservations) && Equals(Volume, other.Volume);

    private static bool SameStack(ImmutableArray<ResourceReservation> a, ImmutableArray<ResourceReservation> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Orders stacks of the same role: shorter first, then entry by entry.</summary>
    internal static int CompareStacks(ImmutableArray<ResourceReservation> a, ImmutableArray<ResourceReservation> b)
    {
        var c = a.Length.CompareTo(b.Length);
        for (var i = 0; c == 0 && i < a.Length; i++)
        {
            c = ResourceReservation.Compare(a[i], b[i]);
        }

        return c;
    }

    internal Resource Plus(Resource other) => Kind switch
    {
        ResourceKind.Scalar => new(Name, Reservations, Kind, Scalar + other.Scalar, RangeSet.Empty, ItemSet.Empty, Volume),
        ResourceKind.Ranges => new(Name, Reservations, Kind, ScalarValue.Zero, Ranges.Union(other.Ranges), ItemSet.Empty),
        _ => new(Name, Reservations, Kind, ScalarValue.Zero, RangeSet.Empty, Items.Union(other.Items)),
    };

    internal Resource Minus(Resource other) => Kind switch
    {
        ResourceKind.Scalar => new(Name, Reservations, Kind, Scalar - other.Scalar, RangeSet.Empty, ItemSet.Empty, Volume),
        ResourceKind.Ranges => new(Name, Reservations, Kind, ScalarValue.Zero, Ranges.Difference(other.Ranges), ItemSet.Empty),
        _ => new(Name, Reservations, Kind, ScalarValue.Zero, RangeSet.Empty, Items.Difference(other.Items)),
    };

    internal bool Covers(Resource other) => Kind switch
    {
        // A persistent volume is never split (Mesos' Resources::subtractable): it is there whole or not at all.
        ResourceKind.Scalar => Volume is null ? Scalar >= other.Scalar : Scalar == other.Scalar,
        ResourceKind.Ranges => Ranges.Contains(other.Ranges),
        _ => Items.Contains(other.Items),
    };

    public bool Equals(Resource? other) =>
        other is not null && IsSameSlot(other) && Scalar == other.Scalar && Ranges.Equals(other.Ranges) && Items.Equals(other.Items);

    public override bool Equals(object? obj) => Equals(obj as Resource);

    public override int GetHashCode() => HashCode.Combine(Name, Role, Reservations.Length, Kind, Scalar, Ranges, Items, Volume);

    /// <summary>The agent's <c>--resources</c> syntax for this one resource.</summary>
    public override string ToString()
    {
        var head = Reservations.IsEmpty ? Name : string.Create(CultureInfo.InvariantCulture, $"{Name}({ReservationText.Format(Reservations)})");
        if (Volume is not null)
        {
            head += "[" + Volume.Format() + "]";
        }

        var value = Kind switch
        {
            ResourceKind.Scalar => Scalar.ToString(),
            ResourceKind.Ranges => Ranges.ToString(),
            _ => Items.ToString(),
        };
        return head + ":" + value;
    }
}
