using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.State;

/// <summary>
/// An executor the master launched tasks on (a custom one, or the DEFAULT executor of task groups); its resources
/// count as used until it terminates.
/// </summary>
public sealed record ExecutorRecord(ExecutorKey Key, ExecutorInfo Info, string Role)
{
    public ExecutorType Type { get; init; } = ExecutorType.Custom;

    public AgentId AgentId => Key.AgentId;
}
