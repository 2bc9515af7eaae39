using Mesos.Core.State;

namespace Mesos.Core.Allocation.Cycle;

/// <summary>A framework as a client of one of its roles: what it holds in that role, for its share within the role.</summary>
public sealed class FrameworkSlot(FrameworkState framework, long[] allocated, ulong tieBreak)
{
    public FrameworkState Framework { get; } = framework;

    public long[] Allocated { get; } = allocated;

    public ulong TieBreak { get; } = tieBreak;

    public double Share { get; set; }
}
