namespace Mesos.Core.Tasks;

/// <summary>
/// Mesos' task state machine (mesos-reference.md section 7): which states are terminal and which transitions
/// the master accepts. Decide consults it; the fold never sees an illegal transition.
/// </summary>
public static class TaskStateMachine
{
    public static bool IsTerminal(TaskState state) => state is
        TaskState.Finished or TaskState.Failed or TaskState.Killed or TaskState.Lost or
        TaskState.Error or TaskState.Dropped or TaskState.Gone or TaskState.GoneByOperator;

    /// <summary>States a task may be reported in by someone other than the master.</summary>
    public static bool MayComeFrom(TaskState state, StatusSource source) => state switch
    {
        TaskState.Unreachable or TaskState.GoneByOperator or TaskState.Error => source == StatusSource.Master,
        TaskState.Unknown or TaskState.Staging => false,
        _ => true,
    };

    /// <summary>
    /// Whether a task in <paramref name="from"/> may move to <paramref name="to"/>. Terminal states are sticky,
    /// except that a LOST task may come back RUNNING when its partitioned agent returns. STAGING is only
    /// ever initial, and UNKNOWN is a reconciliation answer that is never stored.
    /// </summary>
    public static bool CanTransition(TaskState from, TaskState to)
    {
        if (to is TaskState.Staging or TaskState.Unknown)
        {
            return false;
        }

        if (IsTerminal(from))
        {
            return from == TaskState.Lost && to == TaskState.Running;
        }

        return from switch
        {
            TaskState.Staging => true,
            TaskState.Starting => true,
            TaskState.Running => to != TaskState.Starting,
            TaskState.Killing => to is TaskState.Killing or TaskState.Unreachable || IsTerminal(to),
            TaskState.Unreachable => true,
            _ => false,
        };
    }
}
