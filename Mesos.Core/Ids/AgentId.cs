namespace Mesos.Core.Ids;

public readonly record struct AgentId(string Value) : IComparable<AgentId>
{
    public int CompareTo(AgentId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;
}
