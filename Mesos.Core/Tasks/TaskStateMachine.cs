namespace Mesos.Core.Tasks;

/// <summary>
/// Mesos' task state machine (mesos-reference.md section 7): which states are terminal, which transitions
/// the master accepts, and who may produce each state. Decide consults it; the fold never sees an illegal transition.
/// </summary>
public static class TaskStateMachine
{
    public static bool IsTerminal(TaskState state) => state is
        TaskState.Finished or TaskState.Failed or TaskState.Killed or TaskState.Lost or
        TaskState.Error or TaskState.Dropped or TaskState.Gone or TaskState.GoneByOperator;

    /// <summary>
    /// Whether a status update moving a task to <paramref name="state"/> may come from <paramref name="source"/>,
    /// per the "Produced by" column of section 7: the executor reports its task's life (STARTING, RUNNING,
    /// KILLING, FINISHED, FAILED, KILLED); the agent reports failures around it (FAILED, KILLED, LOST, DROPPED,
    /// GONE); the master reports what it decides or observes (KILLED, ERROR, LOST, DROPPED, UNREACHABLE, GONE,
    /// GONE_BY_OPERATOR) and, when a partitioned agent re-registers, the state the task is back in (STARTING,
    /// RUNNING, KILLING). Nobody moves a task to STAGING (only ever initial) or to UNKNOWN (a reconciliation
    /// answer that is never stored).
    /// </summary>
    public static bool MayComeFrom(TaskState state, StatusSource source) => state switch
    {
        TaskState.Starting or TaskState.Running or TaskState.Killing => source is StatusSource.Executor or StatusSource.Master,
        TaskState.Finished => source == StatusSource.Executor,
        TaskState.Failed => source is StatusSource.Executor or StatusSource.Agent,
        TaskState.Killed => source is StatusSource.Executor or StatusSource.Agent or StatusSource.Master,
        TaskState.Lost or TaskState.Dropped or TaskState.Gone => source is StatusSource.Agent or StatusSource.Master,
        TaskState.Error or TaskState.Unreachable or TaskState.GoneByOperator => source == StatusSource.Master,
        _ => false,
    };

    /// <summary>
    /// Whether a task in <paramref name="from"/> may move to <paramref name="to"/>:
    /// STAGING and STARTING go on to STARTING (from STAGING), RUNNING or straight to any terminal state; RUNNING
    /// goes on to KILLING; KILLING only ends; any non-terminal state may become UNREACHABLE, and an UNREACHABLE task
    /// takes whatever state its agent reports when it re-registers. A non-terminal state may repeat (a RUNNING
    /// update carrying a new health or check status). Terminal states are sticky, except that a LOST task may
    /// come back RUNNING when its partitioned agent returns. STAGING is only ever initial, and UNKNOWN is a
    /// reconciliation answer that is never stored, so neither is ever a target (nor UNKNOWN a source).
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

        if (IsTerminal(to) || to == TaskState.Unreachable)
        {
            return from != TaskState.Unknown;
        }

        return from switch
        {
            TaskState.Staging => to is TaskState.Starting or TaskState.Running,
            TaskState.Starting => to is TaskState.Starting or TaskState.Running,
            TaskState.Running => to is TaskState.Running or TaskState.Killing,
            TaskState.Killing => to is TaskState.Killing,
            TaskState.Unreachable => true,
            _ => false,
        };
    }
}
