namespace Mesos.Core.Ids;

public readonly record struct ExecutorId(string Value) : IComparable<ExecutorId>
{
    public int CompareTo(ExecutorId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;
}
