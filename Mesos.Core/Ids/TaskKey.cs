namespace Mesos.Core.Ids;

/// <summary>Task ids are unique within a framework only, so the master keys tasks by both.</summary>
public readonly record struct TaskKey(FrameworkId FrameworkId, TaskId TaskId) : IComparable<TaskKey>
{
    public int CompareTo(TaskKey other)
    {
        var byFramework = FrameworkId.CompareTo(other.FrameworkId);
        return byFramework != 0 ? byFramework : TaskId.CompareTo(other.TaskId);
    }

    public override string ToString() => $"{FrameworkId}/{TaskId}";
}
