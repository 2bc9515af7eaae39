namespace Mesos.Projections.Views;

/// <summary>A role: what the operator set (weight, quota) and what its frameworks hold (allocated, offered).</summary>
public sealed record RoleView(
    string Name,
    double Weight,
    ResourceSummary Guarantees,
    ResourceSummary Limits,
    ResourceSummary Allocated,
    ResourceSummary Offered,
    IReadOnlyList<string> Frameworks,
    double DominantShare);
