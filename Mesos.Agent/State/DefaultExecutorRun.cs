using Mesos.Protocol.V1;

namespace Mesos.Agent.State;

/// <summary>
/// One run of the built-in default executor (Mesos' <c>mesos-default-executor</c>) for a framework's executor id:
/// the executor container's sandbox (<see cref="Directory"/>), and the tasks of the groups launched on it, each its
/// own process with its sandbox under <c>tasks/&lt;task id&gt;</c>. It ends when it has no live task left.
/// </summary>
internal sealed class DefaultExecutorRun(ExecutorInfo info, string frameworkId, string containerId, string directory)
{
    /// <summary>The ExecutorInfo as the master sent it, with type DEFAULT.</summary>
    public ExecutorInfo Info { get; } = info;

    public string FrameworkId { get; } = frameworkId;

    public string ExecutorId => Info.ExecutorId;

    public string ContainerId { get; } = containerId;

    public string Directory { get; } = directory;

    /// <summary>The tasks not yet completed (their terminal update not yet acknowledged), of every group.</summary>
    public List<ExecutorEntry> Tasks { get; } = [];

    /// <summary>The number the next task group launched on this run gets; a group's tasks share theirs.</summary>
    public int NextGroup { get; set; }
}
