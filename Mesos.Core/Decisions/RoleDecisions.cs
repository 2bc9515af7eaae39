using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Core.State;

namespace Mesos.Core.Decisions;

/// <summary>
/// Decide for UPDATE_WEIGHTS and UPDATE_QUOTA, as Mesos 1.11 validates them: role names, positive weights,
/// scalar unreserved quantities, guarantees within limits, a subrole's limit within its parent's, the
/// subroles' guarantees within the parent's, and (unless forced) no role already consuming beyond its new limit.
/// </summary>
public static class RoleDecisions
{
    public static Decision UpdateWeights(UpdateWeights c, DateTimeOffset now)
    {
        if (c.Weights.IsEmpty)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, "UPDATE_WEIGHTS names no role");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var weight in c.Weights)
        {
            if (ValidateRole(weight.Role) is { } error)
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, error);
            }

            if (!seen.Add(weight.Role))
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, $"role '{weight.Role}' is given more than once");
            }

            if (!double.IsFinite(weight.Weight) || weight.Weight <= 0)
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, $"the weight of role '{weight.Role}' must be a positive number");
            }
        }

        return Decision.Of(new RoleWeightsUpdated(c.Weights) { At = now, Principal = c.Principal });
    }

    public static Decision UpdateQuota(ClusterState state, UpdateQuota c, DateTimeOffset now)
    {
        if (c.Quotas.IsEmpty)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, "UPDATE_QUOTA names no role");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var quota in c.Quotas)
        {
            if ((ValidateRole(quota.Role) ?? ValidateQuota(quota)) is { } error)
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, error);
            }

            if (!seen.Add(quota.Role))
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, $"role '{quota.Role}' is given more than once");
            }
        }

        // The tree is checked as it would be after the update, so that a parent and its child can change together.
        var after = new SortedDictionary<string, RoleQuota>(StringComparer.Ordinal);
        foreach (var (role, settings) in state.Roles)
        {
            after[role] = new RoleQuota(role, settings.Guarantees, settings.Limits);
        }

        foreach (var quota in c.Quotas)
        {
            after[quota.Role] = quota;
        }

        foreach (var parent in after.Values)
        {
            var children = after.Values.Where(q => Roles.IsStrictSubroleOf(q.Role, parent.Role) && IsDirectChildWithin(q.Role, parent.Role, after)).ToList();
            var childGuarantees = children.Aggregate(ResourceSet.Empty, (sum, q) => sum + q.Guarantees);
            if (!parent.Guarantees.IsEmpty || !childGuarantees.IsEmpty)
            {
                if (children.Count > 0 && !parent.Guarantees.Contains(childGuarantees))
                {
                    return Decision.Fail(DecideErrorKind.InvalidArgument,
                        $"the guarantees of the subroles of '{parent.Role}' ({childGuarantees}) exceed its own ({parent.Guarantees})");
                }
            }

            foreach (var child in children)
            {
                foreach (var limit in parent.Limits.Entries)
                {
                    // A subrole without a limit of its own is held by its parent's; only a larger one is wrong.
                    if (child.Limits.Scalar(limit.Name) > limit.Scalar)
                    {
                        return Decision.Fail(DecideErrorKind.InvalidArgument,
                            $"the limit of '{child.Role}' on {limit.Name} exceeds the limit of its parent '{parent.Role}' ({limit.Scalar})");
                    }
                }
            }
        }

        if (!c.Force)
        {
            foreach (var quota in c.Quotas)
            {
                var consumed = Consumed(state, quota.Role);
                foreach (var limit in quota.Limits.Entries)
                {
                    if (consumed.Scalar(limit.Name) > limit.Scalar)
                    {
                        return Decision.Fail(DecideErrorKind.FailedPrecondition,
                            $"role '{quota.Role}' already consumes {consumed.Scalar(limit.Name)} {limit.Name}, above the new limit {limit.Scalar}; use force to set it anyway");
                    }
                }
            }
        }

        return Decision.Of(new QuotaUpdated(c.Quotas) { At = now, Principal = c.Principal });
    }

    /// <summary>What a role and its subroles hold: resources of running tasks plus outstanding offers.</summary>
    public static ResourceSet Consumed(ClusterState state, string role)
    {
        var consumed = ResourceSet.Empty;
        foreach (var task in state.Tasks.Values)
        {
            if (!task.ResourcesReleased && InSubtree(task.Role, role))
            {
                consumed += task.Info.Resources;
            }
        }

        foreach (var offer in state.Offers.Values)
        {
            if (InSubtree(offer.Role, role))
            {
                consumed += offer.Resources;
            }
        }

        return consumed.WithoutRoles();
    }

    private static bool InSubtree(string role, string ancestor) => role == ancestor || Roles.IsStrictSubroleOf(role, ancestor);

    // A subrole's guarantees count against its nearest configured ancestor only, not against every ancestor.
    private static bool IsDirectChildWithin(string role, string parent, SortedDictionary<string, RoleQuota> configured) =>
        !configured.Keys.Any(middle => middle != parent && middle != role
            && Roles.IsStrictSubroleOf(middle, parent) && Roles.IsStrictSubroleOf(role, middle));

    private static string? ValidateRole(string role)
    {
        if (!Roles.IsValid(role, out var error))
        {
            return error;
        }

        return role == Roles.Default ? "the default role '*' cannot have weights or quota set here" : null;
    }

    private static string? ValidateQuota(RoleQuota quota)
    {
        foreach (var resource in quota.Guarantees.Entries.Concat(quota.Limits.Entries))
        {
            if (resource.Kind != ResourceKind.Scalar)
            {
                return $"quota of role '{quota.Role}': '{resource.Name}' is not a scalar; quota only takes quantities";
            }

            if (resource.IsReserved)
            {
                return $"quota of role '{quota.Role}': '{resource}' names a role; quota quantities are unreserved";
            }
        }

        foreach (var guarantee in quota.Guarantees.Entries)
        {
            if (quota.Limits.Entries.Any(r => r.Name == guarantee.Name) && quota.Limits.Scalar(guarantee.Name) < guarantee.Scalar)
            {
                return $"quota of role '{quota.Role}': the guarantee {guarantee} is above the limit {quota.Limits.Scalar(guarantee.Name)}";
            }
        }

        return null;
    }
}
