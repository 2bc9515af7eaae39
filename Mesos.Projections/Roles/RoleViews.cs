using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Projections.Views;

namespace Mesos.Projections.Roles;

/// <summary>Role views from allocations per role: shared by the live projection and time travel.</summary>
public static class RoleViews
{
    public static IReadOnlyList<RoleView> Build(
        ClusterState state,
        IReadOnlyDictionary<string, ResourceSet> allocated,
        IReadOnlyDictionary<string, ResourceSet> offered,
        ResourceSet clusterTotal)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        names.UnionWith(state.Roles.Keys);
        names.UnionWith(allocated.Where(a => !a.Value.IsEmpty).Select(a => a.Key));
        names.UnionWith(offered.Where(a => !a.Value.IsEmpty).Select(a => a.Key));
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var framework in state.Frameworks.Values)
        {
            foreach (var role in framework.Info.Roles)
            {
                names.Add(role);
                if (!members.TryGetValue(role, out var list))
                {
                    members[role] = list = [];
                }

                list.Add(framework.Id.Value);
            }
        }

        return [.. names.Select(name =>
        {
            var settings = state.RoleOf(name);
            var used = allocated.GetValueOrDefault(name) ?? ResourceSet.Empty;
            return new RoleView(
                name,
                settings.Weight,
                ResourceSummary.From(settings.Guarantees),
                ResourceSummary.From(settings.Limits),
                ResourceSummary.From(used),
                ResourceSummary.From(offered.GetValueOrDefault(name) ?? ResourceSet.Empty),
                members.TryGetValue(name, out var ids) ? ids : [],
                DominantShare(used, clusterTotal));
        })];
    }

    /// <summary>Roles as of <paramref name="state"/>, by walking its tasks and offers (for time travel).</summary>
    public static IReadOnlyList<RoleView> FromState(ClusterState state)
    {
        var allocated = new Dictionary<string, ResourceSet>(StringComparer.Ordinal);
        foreach (var task in state.Tasks.Values.Where(t => !t.ResourcesReleased))
        {
            allocated[task.Role] = (allocated.GetValueOrDefault(task.Role) ?? ResourceSet.Empty) + task.Info.Resources;
        }

        var offered = new Dictionary<string, ResourceSet>(StringComparer.Ordinal);
        foreach (var offer in state.Offers.Values)
        {
            offered[offer.Role] = (offered.GetValueOrDefault(offer.Role) ?? ResourceSet.Empty) + offer.Resources;
        }

        return Build(state, allocated, offered, ClusterTotal(state));
    }

    public static ResourceSet ClusterTotal(ClusterState state) =>
        state.Agents.Values.Where(a => a.Status != Core.Agents.AgentStatus.Removed)
            .Aggregate(ResourceSet.Empty, (sum, a) => sum + a.Info.Resources);

    private static double DominantShare(ResourceSet used, ResourceSet total)
    {
        var share = 0.0;
        foreach (var name in new[] { "cpus", "mem", "disk", "gpus" })
        {
            var all = total.Scalar(name).ToDouble();
            if (all > 0)
            {
                share = Math.Max(share, used.Scalar(name).ToDouble() / all);
            }
        }

        return share;
    }
}
