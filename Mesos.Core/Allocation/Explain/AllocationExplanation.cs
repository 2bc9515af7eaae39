namespace Mesos.Core.Allocation.Explain;

/// <summary>An allocation cycle run again with its reasons kept: the same grants as the cycle, and why.</summary>
public sealed record AllocationExplanation(IReadOnlyList<OfferGrant> Grants, IReadOnlyList<AllocationReason> Reasons);
