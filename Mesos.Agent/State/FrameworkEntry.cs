using Mesos.Protocol.V1;

namespace Mesos.Agent.State;

/// <summary>A framework with executors on this agent.</summary>
internal sealed class FrameworkEntry(FrameworkInfo info)
{
    public const int MaxCompletedExecutors = 150;

    public FrameworkInfo Info { get; set; } = info;

    public string Id => Info.Id;

    public Dictionary<string, ExecutorEntry> Executors { get; } = new(StringComparer.Ordinal);

    public List<ExecutorEntry> CompletedExecutors { get; } = [];

    /// <summary>Default executors with live tasks, by executor id; their tasks are also in <see cref="Executors"/>.</summary>
    public Dictionary<string, DefaultExecutorRun> DefaultExecutors { get; } = new(StringComparer.Ordinal);

    /// <summary>The default executor runs that ended: those of completed tasks that no longer run.</summary>
    public IEnumerable<DefaultExecutorRun> CompletedDefaultExecutors() =>
        CompletedExecutors.Select(e => e.DefaultExecutor).OfType<DefaultExecutorRun>().Distinct().Where(run => !DefaultExecutors.ContainsValue(run));

    /// <summary>Set by shutdown_framework: its tasks are being killed and their updates are no longer forwarded.</summary>
    public bool ShuttingDown { get; set; }
}
