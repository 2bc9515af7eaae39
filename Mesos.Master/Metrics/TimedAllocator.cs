using System.Diagnostics;
using Mesos.Core.Allocation;
using Mesos.Core.State;

namespace Mesos.Master.Metrics;

/// <summary>The allocator, timing each cycle's computation for <c>/metrics</c>; decisions pass through untouched.</summary>
public sealed class TimedAllocator(IAllocator inner, LatencyHistogram cycles) : IAllocator
{
    public IReadOnlyList<OfferGrant> Allocate(ClusterState state, DateTimeOffset now, long seed)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return inner.Allocate(state, now, seed);
        }
        finally
        {
            cycles.Record(Stopwatch.GetElapsedTime(started));
        }
    }
}
