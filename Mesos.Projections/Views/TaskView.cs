using Mesos.Core.State;

namespace Mesos.Projections.Views;

/// <summary>A task, active or completed, with every status it went through in order.</summary>
public sealed record TaskView(
    string Id,
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
    public string Key => FrameworkId + "/" + Id;

    public static TaskView From(TaskRecord task, bool active, string? offerId, long? launchedPosition) => new(
        task.Key.TaskId.Value,
        task.Key.FrameworkId.Value,
        task.Info.Name,
        task.AgentId.Value,
        task.ExecutorId.Value,
        task.Role,
        TaskStates.Name(task.State),
        active,
        task.KillRequested,
        ResourceSummary.From(task.Info.Resources),
        task.Info.Command?.Value ?? string.Empty,
        offerId,
        launchedPosition,
        task.LaunchedAt,
        [.. task.Statuses.Select(TaskStatusView.From)]);

    public bool Matches(string filter) =>
        Id.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || AgentId.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || FrameworkId.Contains(filter, StringComparison.OrdinalIgnoreCase);
}
