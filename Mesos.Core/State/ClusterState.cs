using System.Collections.Immutable;
using Mesos.Core.Allocation;
using Mesos.Core.Ids;
using Mesos.Core.Masters;

namespace Mesos.Core.State;

/// <summary>
/// The master's whole state: a fold of the event log (<see cref="ClusterFold"/>). Immutable, so readers can hold
/// a snapshot while the master loop folds the next events. Sorted maps give every machine the same iteration
/// order, which the allocator and the content hash depend on.
/// </summary>
public sealed record ClusterState(
    MasterIdentity? Master,
    long MasterEpoch,
    long NextFrameworkNumber,
    long NextAgentNumber,
    long NextOfferNumber,
    long AllocationCycles,
    ImmutableSortedDictionary<AgentId, AgentState> Agents,
    ImmutableSortedDictionary<FrameworkId, FrameworkState> Frameworks,
    ImmutableSortedDictionary<OfferId, OfferState> Offers,
    ImmutableSortedDictionary<TaskKey, TaskRecord> Tasks,
    ImmutableList<FrameworkState> CompletedFrameworks)
{
    /// <summary>Mesos' <c>--max_completed_tasks_per_framework</c> default; a constant so every replay keeps the same history.</summary>
    public const int MaxCompletedTasksPerFramework = 1000;

    /// <summary>Mesos' <c>--max_completed_frameworks</c> default.</summary>
    public const int MaxCompletedFrameworks = 50;

    public static readonly ClusterState Empty = new(
        Master: null,
        MasterEpoch: 0,
        NextFrameworkNumber: 0,
        NextAgentNumber: 0,
        NextOfferNumber: 0,
        AllocationCycles: 0,
        Agents: ImmutableSortedDictionary<AgentId, AgentState>.Empty,
        Frameworks: ImmutableSortedDictionary<FrameworkId, FrameworkState>.Empty,
        Offers: ImmutableSortedDictionary<OfferId, OfferState>.Empty,
        Tasks: ImmutableSortedDictionary<TaskKey, TaskRecord>.Empty,
        CompletedFrameworks: ImmutableList<FrameworkState>.Empty);

    /// <summary>The prefix for ids minted now: Mesos' ids are <c>&lt;masterId&gt;-S3</c>, <c>-O12</c>, <c>-0000</c>.</summary>
    public string IdPrefix => Master?.Id ?? "unelected";

    /// <summary>Weights and quotas set by the operator, by role; a role without an entry has <see cref="RoleState.Default"/>.</summary>
    public ImmutableSortedDictionary<string, RoleState> Roles { get; init; } =
        ImmutableSortedDictionary.Create<string, RoleState>(StringComparer.Ordinal);

    /// <summary>Custom executors with their resources in use; command tasks have no entry (their executor is the task).</summary>
    public ImmutableSortedDictionary<ExecutorKey, ExecutorRecord> Executors { get; init; } =
        ImmutableSortedDictionary<ExecutorKey, ExecutorRecord>.Empty;
    /// <summary>When the current master was elected; frameworks it found get their re-subscription window from here.</summary>
    public DateTimeOffset? ElectedAt { get; init; }

    /// <summary>The allocator's <c>--min_allocatable_resources</c> as last recorded (<see cref="Events.AllocatorConfigured"/>).</summary>
    /// <remarks>Parsed once, when the fold (or a snapshot) sets it; the text was checked when it was decided.</remarks>
    public string MinAllocatableResources
    {
        get => MinimumAllocatable.Text;
        init => MinimumAllocatable = MinimumAllocatable.Parse(value);
    }

    /// <summary><see cref="MinAllocatableResources"/>, parsed.</summary>
    public MinimumAllocatable MinimumAllocatable { get; private init; } = MinimumAllocatable.Default;

    /// <summary>The maintenance schedule, machine modes and inverse offers (<see cref="MaintenanceFold"/>).</summary>
    public MaintenanceState Maintenance { get; init; } = MaintenanceState.Empty;

    public RoleState RoleOf(string role) => Roles.TryGetValue(role, out var settings) ? settings : RoleState.Default;

    public IEnumerable<TaskRecord> TasksOn(AgentId agentId) => Tasks.Values.Where(t => t.AgentId == agentId);

    /// <summary>
    /// Each framework's executors by agent (Mesos' offers list them as <c>executor_ids</c>); one pass over the
    /// executors, for callers that look up many offers at once.
    /// </summary>
    public ILookup<(FrameworkId FrameworkId, AgentId AgentId), ExecutorId> ExecutorIdsByFrameworkAndAgent(FrameworkId? only = null) =>
        Executors.Keys.Where(k => only is null || k.FrameworkId == only).ToLookup(k => (k.FrameworkId, k.AgentId), k => k.ExecutorId);

    public IEnumerable<TaskRecord> TasksOf(FrameworkId frameworkId) =>
        Tasks.Values.Where(t => t.Key.FrameworkId == frameworkId);
}
