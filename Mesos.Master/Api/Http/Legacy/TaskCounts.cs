using System.Text.Json;
using Mesos.Core.Tasks;

namespace Mesos.Master.Api.Http.Legacy;

/// <summary>
/// Mesos' <c>TaskStateSummary</c> for <c>/master/state-summary</c>: tasks by state. Mesos writes only the states from
/// TASK_STAGING to TASK_ERROR and TASK_UNREACHABLE; the others are counted but not written, as there.
/// </summary>
internal sealed class TaskCounts
{
    public static readonly TaskCounts None = new();

    private readonly Dictionary<TaskState, long> counts = [];

    public void Add(TaskState state) => counts[state] = counts.GetValueOrDefault(state) + 1;

    public void Write(Utf8JsonWriter json)
    {
        json.WriteNumber("TASK_STAGING", counts.GetValueOrDefault(TaskState.Staging));
        json.WriteNumber("TASK_STARTING", counts.GetValueOrDefault(TaskState.Starting));
        json.WriteNumber("TASK_RUNNING", counts.GetValueOrDefault(TaskState.Running));
        json.WriteNumber("TASK_KILLING", counts.GetValueOrDefault(TaskState.Killing));
        json.WriteNumber("TASK_FINISHED", counts.GetValueOrDefault(TaskState.Finished));
        json.WriteNumber("TASK_KILLED", counts.GetValueOrDefault(TaskState.Killed));
        json.WriteNumber("TASK_FAILED", counts.GetValueOrDefault(TaskState.Failed));
        json.WriteNumber("TASK_LOST", counts.GetValueOrDefault(TaskState.Lost));
        json.WriteNumber("TASK_ERROR", counts.GetValueOrDefault(TaskState.Error));
        json.WriteNumber("TASK_UNREACHABLE", counts.GetValueOrDefault(TaskState.Unreachable));
    }
}
