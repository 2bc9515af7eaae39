namespace Mesos.Core.Allocation.Explain;

/// <summary>Why a framework, in one of its roles, did or did not get an agent's resources in an allocation cycle.</summary>
public enum AllocationReasonKind
{
    /// <summary>It was offered <see cref="AllocationReason.Resources"/>.</summary>
    Offered = 0,

    /// <summary>A decline filter refuses <see cref="AllocationReason.Resources"/> on the agent until <see cref="AllocationReason.Until"/>.</summary>
    Filtered = 1,

    /// <summary>The framework suppressed offers for the role (on every agent).</summary>
    Suppressed = 2,

    /// <summary>The framework is not connected (on every agent); <see cref="AllocationReason.Detail"/> is its state.</summary>
    FrameworkInactive = 3,

    /// <summary>The agent is not active; <see cref="AllocationReason.Detail"/> is its state.</summary>
    AgentInactive = 4,

    /// <summary>
    /// The quota limit of role <see cref="AllocationReason.Rival"/> (the role or an ancestor) is reached:
    /// <see cref="AllocationReason.Resources"/> is the limit, <see cref="AllocationReason.Other"/> what the role holds.
    /// </summary>
    QuotaLimitReached = 5,

    /// <summary>
    /// The unreserved resources left are held back for the unmet quota guarantees of the roles in
    /// <see cref="AllocationReason.Rival"/>; <see cref="AllocationReason.Resources"/> is what those guarantees still need.
    /// </summary>
    HeldForGuarantees = 6,

    /// <summary>What is free on the agent is reserved for other roles (<see cref="AllocationReason.Resources"/>).</summary>
    ReservedForOtherRoles = 7,

    /// <summary>What is left for the role (<see cref="AllocationReason.Resources"/>) is below <c>--min_allocatable_resources</c>.</summary>
    BelowMinimum = 8,

    /// <summary>Nothing was free on the agent at the start of the cycle: <see cref="AllocationReason.Resources"/> used, <see cref="AllocationReason.Other"/> offered.</summary>
    NothingFree = 9,

    /// <summary>
    /// The agent's free resources went earlier in this cycle to <see cref="AllocationReason.Rival"/>, which came first in
    /// fair-share order (its dominant share <see cref="AllocationReason.RivalShare"/>, this one's <see cref="AllocationReason.Share"/>).
    /// </summary>
    TakenEarlier = 10,

    /// <summary>
    /// What is left for the role is reserved by refinement (<see cref="AllocationReason.Resources"/>), and the framework
    /// lacks the RESERVATION_REFINEMENT capability to be offered it.
    /// </summary>
    NeedsRefinementCapability = 11,
}
