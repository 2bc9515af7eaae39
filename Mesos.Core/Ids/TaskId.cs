namespace Mesos.Core.Ids;

public readonly record struct TaskId(string Value) : IComparable<TaskId>
{
    public int CompareTo(TaskId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;
}
