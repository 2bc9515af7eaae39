namespace Mesos.Core.Ids;

public readonly record struct OfferId(string Value) : IComparable<OfferId>
{
    public int CompareTo(OfferId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;
}
