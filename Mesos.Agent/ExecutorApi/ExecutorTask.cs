using Mesos.Agent.State;
using Mesos.Protocol.V1;

namespace Mesos.Agent.ExecutorApi;

/// <summary>A task given to a custom executor: queued until the executor subscribes, then launched.</summary>
internal sealed class ExecutorTask(TaskInfo info, TerminalTaskCounters counters)
{
    public TaskInfo Info { get; } = info;

    public string TaskId => Info.TaskId;

    /// <summary>The task group it came in (LAUNCH_GROUP), whose tasks go to the executor together; null for LAUNCH.</summary>
    public int? Group { get; init; }

    /// <summary>Whether LAUNCH went to the executor (else it is still queued).</summary>
    public bool Launched { get; set; }

    /// <summary>The latest state the executor (or the agent) reported; null while none was.</summary>
    public TaskState? LatestState { get; private set; }

    /// <summary>A state the executor (or the agent on its behalf) reported; a first terminal one is counted.</summary>
    public void MoveTo(TaskState state)
    {
        counters.Moved(LatestState, state);
        LatestState = state;
    }

    public bool Terminal => LatestState is { } state && Executor.CommandExecutor.IsTerminal(state);
}
