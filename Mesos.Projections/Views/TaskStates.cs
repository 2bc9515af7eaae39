using Mesos.Core.Tasks;

namespace Mesos.Projections.Views;

/// <summary>Mesos' names of task states (<c>TASK_RUNNING</c>), as the UI and Mesos' JSON show them.</summary>
public static class TaskStates
{
    public static string Name(TaskState state) => state switch
    {
        TaskState.GoneByOperator => "TASK_GONE_BY_OPERATOR",
        _ => "TASK_" + state.ToString().ToUpperInvariant(),
    };
}
