using System.Collections.Immutable;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.State;

public sealed record FrameworkState(
    FrameworkId Id,
    FrameworkInfo Info,
    FrameworkStatus Status,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? ReregisteredAt,
    DateTimeOffset? DisconnectedAt,
    ImmutableSortedSet<string> SuppressedRoles,
    ImmutableSortedDictionary<AgentId, OfferFilter> Filters,
    ResourceSet Used,
    ResourceSet Offered,
    ImmutableList<TaskRecord> CompletedTasks);
