using Mesos.Agent.Executor;
using Mesos.Agent.Recovery;

namespace Mesos.Agent.State;

/// <summary>
/// A command executor and the one task it runs; or one task of a task group on the default executor
/// (<see cref="DefaultExecutor"/>), which runs each of its tasks as such a process of its own.
/// </summary>
internal sealed class ExecutorEntry(CommandExecutor executor, TaskEntry task, TaskCheckpoint? checkpoint)
{
    /// <summary>Where the task is checkpointed; null when the checkpoint could not be written (it will not be recovered).</summary>
    public TaskCheckpoint? Checkpoint { get; } = checkpoint;

    public CommandExecutor Executor { get; } = executor;

    public TaskEntry Task { get; } = task;

    public string ExecutorId => Task.ExecutorId;

    public string FrameworkId => Task.FrameworkId;

    /// <summary>The default executor run this task belongs to; null for a command task.</summary>
    public DefaultExecutorRun? DefaultExecutor { get; init; }

    /// <summary>The task group (within <see cref="DefaultExecutor"/>) this task was launched in.</summary>
    public int Group { get; init; }

    /// <summary>The key among the framework's executors: the executor id, and the task id for a task of a group.</summary>
    public string Key => DefaultExecutor is null ? ExecutorId : ExecutorId + "/" + Task.Info.TaskId;

    /// <summary>The run to completion; awaited when the agent stops.</summary>
    public Task? Run { get; set; }
}
