using Mesos.Protocol.V1;

namespace Mesos.Agent.State;

/// <summary>
/// Mesos' agent counters <c>slave/tasks_finished</c>, <c>_failed</c>, <c>_killed</c>, <c>_lost</c> and <c>_gone</c>: how
/// many tasks reached that terminal state since this agent started. Unlike the <c>staging</c> / <c>starting</c> /
/// <c>running</c> / <c>killing</c> gauges they are not read off the tasks the agent holds, which it forgets once the
/// framework has acknowledged them; each task counts once, when its state first becomes terminal.
/// </summary>
internal sealed class TerminalTaskCounters
{
    private readonly long[] _counts = new long[Counted.Count];

    /// <summary>The states counted, with the name of their metric after <c>slave/tasks_</c>.</summary>
    public static IReadOnlyList<(TaskState State, string Name)> Counted { get; } =
    [
        (TaskState.TaskFinished, "finished"), (TaskState.TaskFailed, "failed"), (TaskState.TaskKilled, "killed"),
        (TaskState.TaskLost, "lost"), (TaskState.TaskGone, "gone"),
    ];

    /// <summary>A task moved from <paramref name="previous"/> (null: it had none yet) to <paramref name="next"/>.</summary>
    public void Moved(TaskState? previous, TaskState next)
    {
        if (previous is { } before && Executor.CommandExecutor.IsTerminal(before))
        {
            return;
        }

        if (IndexOf(next) is { } counter)
        {
            Interlocked.Increment(ref _counts[counter]);
        }
    }

    public long Count(TaskState state) =>
        IndexOf(state) is { } counter
            ? Interlocked.Read(ref _counts[counter])
            : throw new ArgumentOutOfRangeException(nameof(state), state, "not a counted terminal state");

    private static int? IndexOf(TaskState state)
    {
        for (var i = 0; i < Counted.Count; i++)
        {
            if (Counted[i].State == state)
            {
                return i;
            }
        }

        return null;
    }
}
