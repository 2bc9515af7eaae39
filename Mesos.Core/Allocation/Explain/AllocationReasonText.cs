using System.Globalization;

namespace Mesos.Core.Allocation.Explain;

/// <summary>An <see cref="AllocationReason"/> in plain words, for an operator asking "why isn't my task starting?".</summary>
public static class AllocationReasonText
{
    public static string Describe(AllocationReason reason) => reason.Kind switch
    {
        AllocationReasonKind.Offered => $"offered {reason.Resources}",
        AllocationReasonKind.Filtered =>
            $"filtered until {reason.Until?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC: the framework declined {reason.Resources} here (refuse_seconds)",
        AllocationReasonKind.Suppressed => "offers suppressed by the framework (SUPPRESS) until it revives",
        AllocationReasonKind.FrameworkInactive => $"framework is {reason.Detail}: no offers until it subscribes again",
        AllocationReasonKind.AgentInactive => $"agent is {reason.Detail}: nothing on it is offered",
        AllocationReasonKind.QuotaLimitReached => reason.Rival == reason.Role
            ? $"quota limit {reason.Resources} reached (allocated {Quantity(reason.Other)})"
            : $"quota limit {reason.Resources} of ancestor role {reason.Rival} reached (allocated {Quantity(reason.Other)})",
        AllocationReasonKind.HeldForGuarantees =>
            $"the unreserved resources left are held for the quota guarantee of role {reason.Rival} first (still needing {reason.Resources})",
        AllocationReasonKind.ReservedForOtherRoles => $"what is free is reserved for another role ({reason.Resources})",
        AllocationReasonKind.BelowMinimum =>
            $"what is left ({Quantity(reason.Resources)}) is below --min_allocatable_resources ({reason.Detail ?? MinimumAllocatable.DefaultText})",
        AllocationReasonKind.NothingFree => $"no resources left (used {Quantity(reason.Resources)}, offered {Quantity(reason.Other)})",
        AllocationReasonKind.TakenEarlier =>
            $"no resources left: went first to {reason.Rival}, lower dominant share {Share(reason.RivalShare)} than this one's {Share(reason.Share)}",
        AllocationReasonKind.NeedsRefinementCapability =>
            $"what is free is reserved by refinement ({reason.Resources}), which needs the RESERVATION_REFINEMENT capability",
        _ => reason.Kind.ToString(),
    };

    /// <summary>Who and where: "framework F role R on agent A", leaving out what the question already named.</summary>
    public static string Subject(AllocationReason reason, bool withFramework, bool withAgent)
    {
        var parts = new List<string>(3);
        if (withFramework && reason.FrameworkId is { } framework)
        {
            parts.Add("framework " + framework);
        }

        if (reason.Role is { } role)
        {
            parts.Add("role " + role);
        }

        if (withAgent)
        {
            parts.Add(reason.AgentId is { } agent ? "on agent " + agent : "on every agent");
        }

        return string.Join(' ', parts);
    }

    public static string Line(AllocationReason reason, bool withFramework, bool withAgent) =>
        Subject(reason, withFramework, withAgent) + ": " + Describe(reason);

    private static string Quantity(Resources.ResourceSet resources) => resources.IsEmpty ? "nothing" : resources.ToString();

    private static string Share(double? share) => share?.ToString("0.###", CultureInfo.InvariantCulture) ?? "?";
}
