using Mesos.Core.Frameworks;
using Mesos.Core.State;

namespace Mesos.Core.Allocation;

/// <summary>
/// The first allocator, until hierarchical DRF replaces it: every active agent's free resources go to subscribed
/// frameworks, at most one offer per agent per framework per cycle. Each agent starts its walk at the next
/// framework (rotated by cycle and agent index), so that frameworks take turns rather than the first one
/// taking everything. Suppressed roles, decline filters and the minimum allocatable size are respected.
/// </summary>
public sealed class RoundRobinAllocator : IAllocator
{
    public IReadOnlyList<OfferGrant> Allocate(ClusterState state, DateTimeOffset now, long seed)
    {
        var minimum = state.MinimumAllocatable;
        var frameworks = state.Frameworks.Values.Where(f => f.Status == FrameworkStatus.Active).ToList();
        if (frameworks.Count == 0)
        {
            return [];
        }

        var grants = new List<OfferGrant>();
        var agentIndex = 0;
        foreach (var agent in state.Agents.Values)
        {
            if (!agent.Offerable)
            {
                continue;
            }

            var available = agent.Available;
            var start = (int)((state.AllocationCycles + agentIndex++) % frameworks.Count);
            for (var k = 0; k < frameworks.Count && minimum.IsMet(available); k++)
            {
                var framework = frameworks[(start + k) % frameworks.Count];
                var filter = framework.Filters.GetValueOrDefault(agent.Id);
                foreach (var role in framework.Info.Roles)
                {
                    if (framework.SuppressedRoles.Contains(role))
                    {
                        continue;
                    }

                    // The filter is checked against what this offer would hold, not against everything free on
                    // the agent: resources reserved for other roles would never be offered to this framework anyway.
                    var slice = available.AllocatableTo(role);
                    if (!minimum.IsMet(slice) || (filter is not null && filter.Blocks(slice, now)))
                    {
                        continue;
                    }

                    grants.Add(new OfferGrant(framework.Id, agent.Id, role, slice));
                    available -= slice;
                    break;
                }
            }
        }

        return grants;
    }
}
