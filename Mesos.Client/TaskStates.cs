using Mesos.Protocol.V1;

namespace Mesos.Client;

/// <summary>Task state facts a framework needs (mesos-reference section 7).</summary>
public static class TaskStates
{
    /// <summary>Mesos' <c>isTerminalState</c>: the task will not run again (LOST aside, which a returning agent may revive).</summary>
    public static bool IsTerminal(TaskState state) => state is
        TaskState.TaskFinished or TaskState.TaskFailed or TaskState.TaskKilled or TaskState.TaskLost or
        TaskState.TaskError or TaskState.TaskDropped or TaskState.TaskGone or TaskState.TaskGoneByOperator;
}
