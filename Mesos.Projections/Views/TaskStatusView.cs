
namespace Mesos.Projections.Views;

public sealed record TaskStatusView(string State, string? Reason, string Message, string Source, DateTimeOffset Timestamp, string? Uuid, bool? Healthy)
{
    public static TaskStatusView From(Core.Tasks.TaskStatus status) => new(
        TaskStates.Name(status.State),
        status.Reason?.ToString(),
        status.Message,
        status.Source.ToString(),
        status.Timestamp,
        status.Uuid?.ToString(),
        status.Healthy);
}
