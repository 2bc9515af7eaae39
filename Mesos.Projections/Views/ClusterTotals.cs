namespace Mesos.Projections.Views;

/// <summary>The overview's figures: resources of the cluster, and counts of agents, frameworks and tasks by state.</summary>
public sealed record ClusterTotals(
    ResourceSummary Total,
    ResourceSummary Used,
    ResourceSummary Offered,
    IReadOnlyDictionary<string, int> AgentsByState,
    IReadOnlyDictionary<string, int> FrameworksByState,
    IReadOnlyDictionary<string, int> TasksByState);
