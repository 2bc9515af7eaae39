using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.Recovery;

/// <summary>One task as a previous run of the agent checkpointed it.</summary>
public sealed record RecoveredTask(
    FrameworkInfo Framework,
    TaskInfo Task,
    string ExecutorId,
    string ContainerId,
    TaskCheckpoint Checkpoint,
    int? Pid,
    ulong? StartTime,
    IReadOnlyList<TaskStatus> Updates,
    IReadOnlyList<TaskStatus> Unacknowledged)
{
    /// <summary>For a task of a task group: its default executor, that executor's run (container) and the task's group.</summary>
    public (ExecutorInfo Executor, string ContainerId, int Group)? TaskGroup { get; init; }

    /// <summary>The newest state an update recorded; STAGING when the task never reported.</summary>
    public TaskState LatestState => Updates.Count > 0 ? Updates[^1].State : TaskState.TaskStaging;
}
