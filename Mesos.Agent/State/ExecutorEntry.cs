using Mesos.Agent.Executor;
using Mesos.Agent.Recovery;

namespace Mesos.Agent.State;

/// <summary>A command executor and the one task it runs.</summary>
internal sealed class ExecutorEntry(CommandExecutor executor, TaskEntry task, TaskCheckpoint? checkpoint)
{
    /// <summary>Where the task is checkpointed; null when the checkpoint could not be written (it will not be recovered).</summary>
    public TaskCheckpoint? Checkpoint { get; } = checkpoint;

    public CommandExecutor Executor { get; } = executor;

    public TaskEntry Task { get; } = task;

    public string ExecutorId => Task.ExecutorId;

    public string FrameworkId => Task.FrameworkId;

    /// <summary>The run to completion; awaited when the agent stops.</summary>
    public Task? Run { get; set; }
}
