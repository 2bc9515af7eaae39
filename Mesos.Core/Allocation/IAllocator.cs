using Mesos.Core.State;

namespace Mesos.Core.Allocation;

/// <summary>
/// Allocation policy: a pure function of the folded state, the cycle's time and a tie-break seed. It only
/// answers with grants; the master turns them into offers, and the log records them, so that any cycle can be
/// re-run and compared (an audit re-runs it on the state as it was).
/// </summary>
public interface IAllocator
{
    IReadOnlyList<OfferGrant> Allocate(ClusterState state, DateTimeOffset now, long seed);
}
