using Mesos.Projections.Views;

namespace Mesos.Projections.Marten.Documents;

/// <summary>
/// One task, active or completed, as a Marten document (table <c>mt_doc_task</c>). The id is
/// <c>framework id/task id</c>, since task ids are unique only within a framework.
/// </summary>
public sealed record TaskDocument(
    string Id,
    string TaskId,
    string FrameworkId,
    string Name,
    string AgentId,
    string ExecutorId,
    string Role,
    string State,
    bool Active,
    bool KillRequested,
    ResourceSummary Resources,
    string Command,
    string? OfferId,
    long? LaunchedPosition,
    DateTimeOffset LaunchedAt,
    IReadOnlyList<TaskStatusView> Statuses)
{
    public static TaskDocument From(TaskView view) => new(
        view.Key,
        view.Id,
        view.FrameworkId,
        view.Name,
        view.AgentId,
        view.ExecutorId,
        view.Role,
        view.State,
        view.Active,
        view.KillRequested,
        view.Resources,
        view.Command,
        view.OfferId,
        view.LaunchedPosition,
        view.LaunchedAt,
        view.Statuses);
}
