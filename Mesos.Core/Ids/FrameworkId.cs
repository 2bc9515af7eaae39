namespace Mesos.Core.Ids;

public readonly record struct FrameworkId(string Value) : IComparable<FrameworkId>
{
    public int CompareTo(FrameworkId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;
}
