using System.Globalization;

namespace Mesos.Core.Resources;

/// <summary>
/// One named resource for one role: <c>cpus:2</c>, <c>ports(web):[80-80]</c>, <c>bugs:{a,b}</c>.
/// Exactly one of <see cref="Scalar"/>, <see cref="Ranges"/> and <see cref="Items"/> is meaningful, by <see cref="Kind"/>.
/// </summary>
public sealed class Resource : IEquatable<Resource>
{
    public const string UnreservedRole = "*";

    private Resource(string name, string role, ResourceKind kind, ScalarValue scalar, RangeSet ranges, ItemSet items)
    {
        Name = name;
        Role = role;
        Kind = kind;
        Scalar = scalar;
        Ranges = ranges;
        Items = items;
    }

    public string Name { get; }

    /// <summary>The role the resource is reserved for, or <c>*</c> when unreserved.</summary>
    public string Role { get; }

    public ResourceKind Kind { get; }

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
        new(name, role, ResourceKind.Scalar, value, RangeSet.Empty, ItemSet.Empty);

    public static Resource OfScalar(string name, double value, string role = UnreservedRole) =>
        OfScalar(name, ScalarValue.FromDouble(value), role);

    public static Resource OfRanges(string name, RangeSet ranges, string role = UnreservedRole) =>
        new(name, role, ResourceKind.Ranges, ScalarValue.Zero, ranges, ItemSet.Empty);

    public static Resource OfSet(string name, ItemSet items, string role = UnreservedRole) =>
        new(name, role, ResourceKind.Set, ScalarValue.Zero, RangeSet.Empty, items);

    /// <summary>Whether two resources may be added or subtracted: same name, role and kind.</summary>
    public bool IsSameSlot(Resource other) => Name == other.Name && Role == other.Role && Kind == other.Kind;

    internal Resource Plus(Resource other) => Kind switch
    {
        ResourceKind.Scalar => OfScalar(Name, Scalar + other.Scalar, Role),
        ResourceKind.Ranges => OfRanges(Name, Ranges.Union(other.Ranges), Role),
        _ => OfSet(Name, Items.Union(other.Items), Role),
    };

    internal Resource Minus(Resource other) => Kind switch
    {
        ResourceKind.Scalar => OfScalar(Name, Scalar - other.Scalar, Role),
        ResourceKind.Ranges => OfRanges(Name, Ranges.Difference(other.Ranges), Role),
        _ => OfSet(Name, Items.Difference(other.Items), Role),
    };

    internal bool Covers(Resource other) => Kind switch
    {
        ResourceKind.Scalar => Scalar >= other.Scalar,
        ResourceKind.Ranges => Ranges.Contains(other.Ranges),
        _ => Items.Contains(other.Items),
    };

    public bool Equals(Resource? other) =>
        other is not null && IsSameSlot(other) && Scalar == other.Scalar && Ranges.Equals(other.Ranges) && Items.Equals(other.Items);

    public override bool Equals(object? obj) => Equals(obj as Resource);

    public override int GetHashCode() => HashCode.Combine(Name, Role, Kind, Scalar, Ranges, Items);

    /// <summary>The agent's <c>--resources</c> syntax for this one resource.</summary>
    public override string ToString()
    {
        var head = Role == UnreservedRole ? Name : string.Create(CultureInfo.InvariantCulture, $"{Name}({Role})");
        var value = Kind switch
        {
            ResourceKind.Scalar => Scalar.ToString(),
            ResourceKind.Ranges => Ranges.ToString(),
            _ => Items.ToString(),
        };
        return head + ":" + value;
    }
}
