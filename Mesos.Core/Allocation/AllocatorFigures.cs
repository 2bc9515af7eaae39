using Mesos.Core.Agents;
using Mesos.Core.Frameworks;
using Mesos.Core.Resources;
using Mesos.Core.State;

namespace Mesos.Core.Allocation;

/// <summary>
/// The allocator's figures (Mesos' <c>allocator/mesos/*</c> gauges) as a pure function of the folded state: the
/// scalar total of the active agents, what is offered or allocated of it, and per role its holdings, share,
/// filters and quota. Roles are those with a framework, a holding or a setting, and their ancestors.
/// </summary>
public sealed record AllocatorFigures(ResourceSet Total, ResourceSet OfferedOrAllocated, IReadOnlyList<RoleFigures> Roles)
{
    public static AllocatorFigures Compute(ClusterState state, DateTimeOffset now)
    {
        var total = ResourceSet.Empty;
        foreach (var agent in state.Agents.Values)
        {
            if (agent.Status == AgentStatus.Active)
            {
                total += Scalars(agent.Info.Resources);
            }
        }

        var held = new SortedDictionary<string, ResourceSet>(StringComparer.Ordinal);
        var filters = new SortedDictionary<string, int>(StringComparer.Ordinal);
        void Hold(string role, ResourceSet resources)
        {
            var scalars = Scalars(resources);
            for (var r = role; r is not null; r = Parent(r))
            {
                held[r] = held.GetValueOrDefault(r, ResourceSet.Empty) + scalars;
            }
        }

        foreach (var role in state.Roles.Keys)
        {
            Hold(role, ResourceSet.Empty);
        }

        foreach (var framework in state.Frameworks.Values)
        {
            var active = framework.Status == FrameworkStatus.Active ? framework.Filters.Values.Count(f => f.Until > now) : 0;
            foreach (var role in framework.Info.Roles)
            {
                Hold(role, ResourceSet.Empty);
                filters[role] = filters.GetValueOrDefault(role) + active;
            }
        }

        var offeredOrAllocated = ResourceSet.Empty;
        foreach (var task in state.Tasks.Values)
        {
            if (!task.ResourcesReleased)
            {
                Hold(task.Role, task.Info.Resources);
                offeredOrAllocated += Scalars(task.Info.Resources);
            }
        }

        foreach (var offer in state.Offers.Values)
        {
            Hold(offer.Role, offer.Resources);
            offeredOrAllocated += Scalars(offer.Resources);
        }

        var roles = held.Select(pair =>
        {
            var settings = state.RoleOf(pair.Key);
            return new RoleFigures(pair.Key, pair.Value, DominantShare(pair.Value, total) / settings.Weight,
                filters.GetValueOrDefault(pair.Key), settings.Guarantees, settings.Limits);
        }).ToList();
        return new AllocatorFigures(total, offeredOrAllocated, roles);
    }

    private static string? Parent(string role)
    {
        var slash = role.LastIndexOf('/');
        return slash > 0 && role != Resources.Roles.Default ? role[..slash] : null;
    }

    private static ResourceSet Scalars(ResourceSet resources) =>
        resources.Filter(r => r.Kind == ResourceKind.Scalar).WithoutRoles();

    private static double DominantShare(ResourceSet held, ResourceSet total)
    {
        var share = 0.0;
        foreach (var resource in held.Entries)
        {
            var of = total.Scalar(resource.Name);
            if (of.IsPositive)
            {
                share = Math.Max(share, resource.Scalar.ToDouble() / of.ToDouble());
            }
        }

        return share;
    }
}
