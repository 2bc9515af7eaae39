using Mesos.Core.State;

namespace Mesos.Projections.Views;

public sealed record FrameworkView(
    string Id,
    string Name,
    string User,
    string Principal,
    IReadOnlyList<string> Roles,
    string State,
    bool Active,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? ReregisteredAt,
    DateTimeOffset? DisconnectedAt,
    IReadOnlyList<string> SuppressedRoles,
    ResourceSummary Used,
    ResourceSummary Offered,
    int ActiveTasks,
    int CompletedTasks,
    string WebUiUrl)
{
    public static FrameworkView From(FrameworkState framework, int activeTasks) => new(
        framework.Id.Value,
        framework.Info.Name,
        framework.Info.User,
        framework.Info.Principal,
        [.. framework.Info.Roles],
        framework.Status.ToString().ToUpperInvariant(),
        framework.Status == Core.Frameworks.FrameworkStatus.Active,
        framework.RegisteredAt,
        framework.ReregisteredAt,
        framework.DisconnectedAt,
        [.. framework.SuppressedRoles],
        ResourceSummary.Sum(framework.UsedOn.Values),
        ResourceSummary.Sum(framework.OfferedOn.Values),
        activeTasks,
        framework.CompletedTasks.Count,
        framework.Info.WebUiUrl);
}
