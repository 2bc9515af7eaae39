namespace Mesos.Core.Ids;

/// <summary>Executor ids are unique within a framework on one agent, so the master keys executors by all three.</summary>
public readonly record struct ExecutorKey(FrameworkId FrameworkId, AgentId AgentId, ExecutorId ExecutorId) : IComparable<ExecutorKey>
{
    public int CompareTo(ExecutorKey other)
    {
        var byFramework = FrameworkId.CompareTo(other.FrameworkId);
        if (byFramework != 0)
        {
            return byFramework;
        }

        var byAgent = AgentId.CompareTo(other.AgentId);
        return byAgent != 0 ? byAgent : ExecutorId.CompareTo(other.ExecutorId);
    }

    public override string ToString() => $"{FrameworkId}/{AgentId}/{ExecutorId}";
}
