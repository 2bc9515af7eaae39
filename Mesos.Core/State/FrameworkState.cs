using System.Collections.Immutable;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.State;

/// <summary>
/// A framework as the master knows it. What it uses and is offered is kept per agent (<see cref="UsedOn"/>,
/// <see cref="OfferedOn"/>): ranges and sets of different agents are different resources that a single
/// <see cref="ResourceSet"/> would merge (port 31000 on two agents is one range), so a framework-wide sum could
/// not be subtracted from when one of them is released.
/// </summary>
public sealed record FrameworkState(
    FrameworkId Id,
    FrameworkInfo Info,
    FrameworkStatus Status,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? ReregisteredAt,
    DateTimeOffset? DisconnectedAt,
    ImmutableSortedSet<string> SuppressedRoles,
    ImmutableSortedDictionary<AgentId, OfferFilter> Filters,
    ImmutableSortedDictionary<AgentId, ResourceSet> UsedOn,
    ImmutableSortedDictionary<AgentId, ResourceSet> OfferedOn,
    ImmutableList<TaskRecord> CompletedTasks)
{
    /// <summary>Everything its unreleased tasks use, on all agents (for totals and display: ranges of different agents merge).</summary>
    public ResourceSet Used => Sum(UsedOn);

    /// <summary>Everything its outstanding offers hold, on all agents (for totals and display: ranges of different agents merge).</summary>
    public ResourceSet Offered => Sum(OfferedOn);

    private static ResourceSet Sum(ImmutableSortedDictionary<AgentId, ResourceSet> perAgent) =>
        perAgent.Values.Aggregate(ResourceSet.Empty, (sum, resources) => sum + resources);
}
