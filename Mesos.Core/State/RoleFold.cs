using System.Collections.Immutable;
using Mesos.Core.Events;

namespace Mesos.Core.State;

/// <summary>The fold's cases for role settings; a role back at its defaults loses its entry, so equal settings give equal states.</summary>
internal static class RoleFold
{
    public static ClusterState Apply(ClusterState state, RoleWeightsUpdated e)
    {
        var roles = state.Roles;
        foreach (var weight in e.Weights)
        {
            var current = roles.TryGetValue(weight.Role, out var known) ? known : RoleState.Default;
            roles = Set(roles, weight.Role, current with { Weight = weight.Weight });
        }

        return state with { Roles = roles };
    }

    public static ClusterState Apply(ClusterState state, QuotaUpdated e)
    {
        var roles = state.Roles;
        foreach (var quota in e.Quotas)
        {
            var current = roles.TryGetValue(quota.Role, out var known) ? known : RoleState.Default;
            roles = Set(roles, quota.Role, current with { Guarantees = quota.Guarantees, Limits = quota.Limits });
        }

        return state with { Roles = roles };
    }

    private static ImmutableSortedDictionary<string, RoleState> Set(
        ImmutableSortedDictionary<string, RoleState> roles, string role, RoleState settings) =>
        settings.IsDefault ? roles.Remove(role) : roles.SetItem(role, settings);
}
