using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Allocation.Explain;

/// <summary>
/// One reason of an allocation cycle, as data: which framework and role, which agent (null when it holds on every
/// agent), and the figures behind it. <see cref="AllocationReasonText"/> puts it in words.
/// </summary>
public sealed record AllocationReason(
    AllocationReasonKind Kind,
    FrameworkId? FrameworkId,
    string? Role,
    AgentId? AgentId,
    ResourceSet Resources,
    ResourceSet Other,
    DateTimeOffset? Until = null,
    string? Rival = null,
    double? Share = null,
    double? RivalShare = null,
    string? Detail = null);
