using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Resources;
using Mesos.Core.State;

namespace Mesos.Core.Decisions;

/// <summary>
/// The FrameworkInfo rules shared by SUBSCRIBE and UPDATE_FRAMEWORK, and UPDATE_FRAMEWORK itself (Mesos 1.11's
/// <c>Master::updateFramework</c> and <c>validation::framework::validateUpdate</c>, with their messages).
/// </summary>
public static class FrameworkUpdates
{
    /// <summary>Mesos' checks of a FrameworkInfo on its own; a framework without roles is in <c>*</c>.</summary>
    public static (FrameworkInfo Info, DecideError? Error) Validate(FrameworkInfo info)
    {
        if (string.IsNullOrWhiteSpace(info.Name))
        {
            return (info, new DecideError(DecideErrorKind.InvalidArgument, "FrameworkInfo.name must be set"));
        }

        if (info.Roles.Count == 0)
        {
            info = info with { Roles = [Roles.Default] };
        }

        if (info.Roles.Distinct(StringComparer.Ordinal).Count() != info.Roles.Count)
        {
            return (info, new DecideError(DecideErrorKind.InvalidArgument, "FrameworkInfo.roles contains duplicate roles"));
        }

        if (info.Roles.Count > 1 && !info.Has(FrameworkCapability.MultiRole))
        {
            return (info, new DecideError(DecideErrorKind.InvalidArgument, "Several roles need the MULTI_ROLE capability"));
        }

        foreach (var role in info.Roles)
        {
            if (!Roles.IsValid(role, out var error))
            {
                return (info, new DecideError(DecideErrorKind.InvalidArgument, error!));
            }
        }

        if (info.FailoverTimeoutSeconds < 0 || double.IsNaN(info.FailoverTimeoutSeconds))
        {
            return (info, new DecideError(DecideErrorKind.InvalidArgument, "failover_timeout must not be negative"));
        }

        return (info, null);
    }

    /// <summary>
    /// UPDATE_FRAMEWORK. All or nothing: an invalid update changes nothing. An update that changes neither the info
    /// nor the suppressed roles appends nothing (Mesos sends no FRAMEWORK_UPDATED for it). Offers of roles the
    /// framework leaves are rescinded; offers of roles it only suppresses stay, as in Mesos.
    /// </summary>
    public static Decision Decide(ClusterState state, UpdateFramework c, DateTimeOffset now)
    {
        if (!state.Frameworks.TryGetValue(c.FrameworkId, out var framework))
        {
            return Decision.Fail(DecideErrorKind.NotFound, $"Framework with id {c.FrameworkId} does not exist");
        }

        if (framework.Status != FrameworkStatus.Active)
        {
            return Decision.Fail(DecideErrorKind.PermissionDenied, $"Framework '{c.FrameworkId}' is not subscribed");
        }

        var (info, invalid) = Validate(c.Info);
        if (invalid is not null)
        {
            return invalid;
        }

        if (ValidateUpdate(framework.Info, info) is { } immutable)
        {
            return immutable;
        }

        var suppressed = c.SuppressedRoles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (suppressed.FirstOrDefault(r => !info.Roles.Contains(r)) is { } stray)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, $"Suppressed role '{stray}' is not contained in the list of roles");
        }

        if (info == framework.Info && suppressed.SequenceEqual(framework.SuppressedRoles, StringComparer.Ordinal))
        {
            return Decision.None;
        }

        var events = new List<ClusterEvent>();
        events.AddRange(state.Offers.Values
            .Where(o => o.FrameworkId == c.FrameworkId && !info.Roles.Contains(o.Role))
            .Select(o => new OfferRescinded(o.Id, $"framework left role '{o.Role}'") { At = now, Principal = c.Principal }));
        events.Add(new FrameworkUpdated(c.FrameworkId, info, ValueArray.From(suppressed)) { At = now, Principal = c.Principal });
        return Decision.Of(events);
    }

    /// <summary>Mesos' <c>validateUpdate</c>: who the framework runs as is fixed at its first subscription.</summary>
    private static DecideError? ValidateUpdate(FrameworkInfo old, FrameworkInfo updated)
    {
        if (old.Principal != updated.Principal)
        {
            // As Mesos: the old principal is not shown to a caller that may not be its owner.
            return new DecideError(DecideErrorKind.InvalidArgument, "Changing framework's principal is not allowed.");
        }

        if (old.User != updated.User)
        {
            return new DecideError(DecideErrorKind.InvalidArgument,
                $"Updating 'FrameworkInfo.user' is unsupported; attempted to update from '{old.User}' to '{updated.User}'");
        }

        return old.Checkpoint != updated.Checkpoint
            ? new DecideError(DecideErrorKind.InvalidArgument,
                $"Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from '{Bool(old.Checkpoint)}' to '{Bool(updated.Checkpoint)}'")
            : null;
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
