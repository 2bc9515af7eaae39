using Mesos.Core.Resources;

namespace Mesos.Core.Allocation;

/// <summary>
/// One role as the allocator sees it: what it and its subroles hold (offered or allocated, as unreserved
/// quantities), its dominant share over the cluster's total divided by its weight, its active decline filters and
/// its quota.
/// </summary>
public sealed record RoleFigures(
    string Role,
    ResourceSet OfferedOrAllocated,
    double DominantShare,
    int ActiveFilters,
    ResourceSet Guarantees,
    ResourceSet Limits);
