using Mesos.Core.Commands;

namespace Mesos.Master.Loop;

/// <summary>
/// A command waiting for the loop. <see cref="OnCommitted"/> runs on the loop right after the command's events
/// are durable and folded, before anything else is decided or sent: that is where a subscription registers its
/// connection, so no event meant for it can be routed before it exists.
/// </summary>
public sealed record PendingCommand(MasterCommand Command, Action<CommandResult>? OnCommitted)
{
    public TaskCompletionSource<CommandResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When it was queued (<see cref="System.Diagnostics.Stopwatch"/> ticks), for the time it waited.</summary>
    public long QueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
}
