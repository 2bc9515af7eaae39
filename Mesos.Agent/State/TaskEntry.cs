using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.State;

/// <summary>A task the agent runs or ran, with every update its executor produced.</summary>
internal sealed class TaskEntry(TaskInfo info, string frameworkId, string executorId)
{
    public TaskInfo Info { get; } = info;

    public string FrameworkId { get; } = frameworkId;

    public string ExecutorId { get; } = executorId;

    /// <summary>The newest state the executor reported (STAGING until it reports), sent on re-registration.</summary>
    public TaskState LatestState { get; set; } = TaskState.TaskStaging;

    public List<TaskStatus> Statuses { get; } = [];
}
