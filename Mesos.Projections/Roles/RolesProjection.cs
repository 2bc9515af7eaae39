using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Projections.Engine;
using Mesos.Projections.Views;

namespace Mesos.Projections.Roles;

/// <summary>
/// Roles with weight, quota, allocated and offered resources and dominant share. Allocations are kept per role
/// incrementally (each touched task and offer moves out of its before-state and into its after-state), so an
/// event costs what it touched, not the size of the cluster.
/// </summary>
public sealed class RolesProjection : IProjection
{
    private readonly Dictionary<string, ResourceSet> allocated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceSet> offered = new(StringComparer.Ordinal);
    private ResourceSet clusterTotal = ResourceSet.Empty;
    private readonly object gate = new();
    private ClusterState latest = ClusterState.Empty;
    private IReadOnlyList<RoleView> roles = [];
    private bool dirty;
    private long position;

    public string Name => "roles";

    public int Version => 1;

    public long Position => Volatile.Read(ref position);

    /// <summary>Built when read after a change, not after every event: most events move allocations, few are read.</summary>
    public IReadOnlyList<RoleView> Roles
    {
        get
        {
            lock (gate)
            {
                if (dirty)
                {
                    roles = RoleViews.Build(latest, allocated, offered, clusterTotal);
                    dirty = false;
                }

                return roles;
            }
        }
    }

    public void Apply(ProjectionContext context)
    {
        lock (gate)
        {
            ApplyLocked(context);
        }
    }

    private void ApplyLocked(ProjectionContext context)
    {
        var scope = context.Scope;
        foreach (var key in scope.Tasks)
        {
            if (context.Before.Tasks.TryGetValue(key, out var before) && !before.ResourcesReleased)
            {
                Move(allocated, before.Role, before.Info.Resources, add: false);
            }

            if (context.After.Tasks.TryGetValue(key, out var after) && !after.ResourcesReleased)
            {
                Move(allocated, after.Role, after.Info.Resources, add: true);
            }
        }

        foreach (var id in scope.Offers)
        {
            if (context.Before.Offers.TryGetValue(id, out var before))
            {
                Move(offered, before.Role, before.Resources, add: false);
            }

            if (context.After.Offers.TryGetValue(id, out var after))
            {
                Move(offered, after.Role, after.Resources, add: true);
            }
        }

        var agentsChanged = false;
        foreach (var id in scope.Agents)
        {
            context.Before.Agents.TryGetValue(id, out var was);
            context.After.Agents.TryGetValue(id, out var now);
            if (ReferenceEquals(was?.Info, now?.Info) && was?.Status == now?.Status)
            {
                // Heartbeats and resource moves: the agent's total counts the same.
                continue;
            }

            agentsChanged = true;
            if (context.Before.Agents.TryGetValue(id, out var before) && before.Status != Core.Agents.AgentStatus.Removed)
            {
                clusterTotal -= before.Info.Resources;
            }

            if (context.After.Agents.TryGetValue(id, out var after) && after.Status != Core.Agents.AgentStatus.Removed)
            {
                clusterTotal += after.Info.Resources;
            }
        }

        if (scope.Roles || scope.Tasks.Count > 0 || scope.Offers.Count > 0 || scope.Frameworks.Count > 0 || agentsChanged)
        {
            latest = context.After;
            dirty = true;
        }

        Volatile.Write(ref position, context.Position);
    }

    public void Reset()
    {
        lock (gate)
        {
            allocated.Clear();
            offered.Clear();
            clusterTotal = ResourceSet.Empty;
            latest = ClusterState.Empty;
            roles = [];
            dirty = false;
            Volatile.Write(ref position, 0);
        }
    }

    private static void Move(Dictionary<string, ResourceSet> perRole, string role, ResourceSet resources, bool add)
    {
        var current = perRole.GetValueOrDefault(role) ?? ResourceSet.Empty;
        var next = add ? current + resources : current - resources;
        if (next.IsEmpty)
        {
            perRole.Remove(role);
        }
        else
        {
            perRole[role] = next;
        }
    }
}
