using Mesos.Core.Allocation.Cycle;
using Mesos.Core.Allocation.Explain;
using Mesos.Core.Allocation.Sorting;
using Mesos.Core.State;

namespace Mesos.Core.Allocation;

/// <summary>
/// Mesos' hierarchical DRF allocator (1.11): agents in a seeded shuffle; on each, roles in fairness order
/// (<see cref="IRoleSorter"/>, DRF by default; a parent's share includes its subroles'), then that role's frameworks
/// in fairness order; one offer per framework, agent and role. Roles with unmet quota guarantees are served first,
/// limits are never exceeded, unreserved resources other roles' guarantees still need are held back, reservations go
/// only to their role and its subroles; suppressed roles, decline filters and the minimum allocatable size are honoured.
/// Its settings (<c>--min_allocatable_resources</c>) come from the state, where the log put them, never from flags:
/// an audit re-running a cycle must decide with what the master had then.
/// </summary>
public sealed class HierarchicalDrfAllocator(IRoleSorter sorter) : IAllocator, IAllocationExplainer
{
    public HierarchicalDrfAllocator()
        : this(new DrfSorter())
    {
    }

    public IReadOnlyList<OfferGrant> Allocate(ClusterState state, DateTimeOffset now, long seed) =>
        Run(AllocationCycle.Prepare(state, now, seed, sorter)).Grants;

    /// <summary>The same cycle with its reasons kept (slower: it visits every role on every agent in scope).</summary>
    public AllocationExplanation Explain(ClusterState state, DateTimeOffset now, long seed, ExplainScope scope) =>
        Run(AllocationCycle.Prepare(state, now, seed, sorter, scope)).Explanation();

    private static AllocationCycle Run(AllocationCycle cycle)
    {
        if (cycle.HasUnmetGuarantees)
        {
            cycle.Run(AllocationStage.Guarantees);
        }

        cycle.Run(AllocationStage.FairShare);
        return cycle;
    }
}
