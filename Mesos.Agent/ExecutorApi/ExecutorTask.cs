using Mesos.Protocol.V1;

namespace Mesos.Agent.ExecutorApi;

/// <summary>A task given to a custom executor: queued until the executor subscribes, then launched.</summary>
internal sealed class ExecutorTask(TaskInfo info)
{
    public TaskInfo Info { get; } = info;

    public string TaskId => Info.TaskId;

    /// <summary>The task group it came in (LAUNCH_GROUP), whose tasks go to the executor together; null for LAUNCH.</summary>
    public int? Group { get; init; }

    /// <summary>Whether LAUNCH went to the executor (else it is still queued).</summary>
    public bool Launched { get; set; }

    /// <summary>The latest state the executor (or the agent) reported; null while none was.</summary>
    public TaskState? LatestState { get; set; }

    public bool Terminal => LatestState is { } state && Executor.CommandExecutor.IsTerminal(state);
}
