using System.Collections.Immutable;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.State;

/// <summary>
/// A task as the master tracks it. <see cref="PendingUuid"/> is the update the framework has not acknowledged
/// yet; a task leaves the active set once it is terminal and nothing is pending.
/// <see cref="ResourcesReleased"/> records that its resources went back to the agent, which happens once,
/// on the first terminal or unreachable update.
/// </summary>
public sealed record TaskRecord(
    TaskKey Key,
    TaskInfo Info,
    ExecutorId ExecutorId,
    string Role,
    TaskState State,
    ImmutableList<TaskStatus> Statuses,
    Guid? PendingUuid,
    DateTimeOffset LaunchedAt,
    bool ResourcesReleased,
    bool KillRequested)
{
    public AgentId AgentId => Info.AgentId;

    public bool IsTerminal => TaskStateMachine.IsTerminal(State);
}
