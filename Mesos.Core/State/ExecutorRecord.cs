using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.State;

/// <summary>A custom executor the master launched tasks on; its resources count as used until it terminates.</summary>
public sealed record ExecutorRecord(ExecutorKey Key, ExecutorInfo Info, string Role)
{
    public AgentId AgentId => Key.AgentId;
}
