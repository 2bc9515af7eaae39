using Mesos.Core.Allocation;
using Mesos.Master.Allocation;
using Mesos.Master.Loop;

namespace Mesos.Master.Metrics;

/// <summary>
/// Mesos' <c>allocator/mesos/*</c> metrics: cycle counts and timers from the master loop, gauges (totals, shares,
/// filters, quota) computed from the latest published state.
/// </summary>
public sealed class AllocatorMetrics(AllocationRecorder recorder, ClusterStateHolder holder, MasterLoop loop, TimeProvider clock) : IMetricsSource
{
    private const string Prefix = "allocator/mesos/";

    public void Collect(IDictionary<string, double> into)
    {
        into[Prefix + "allocation_runs"] = recorder.Runs;
        into[Prefix + "event_queue_dispatches"] = loop.QueueLength;
        recorder.CollectTimers(into);

        var figures = AllocatorFigures.Compute(holder.Current.State, clock.GetUtcNow());
        foreach (var resource in figures.Total.Entries)
        {
            into[$"{Prefix}resources/{resource.Name}/total"] = resource.Scalar.ToDouble();
            into[$"{Prefix}resources/{resource.Name}/offered_or_allocated"] = figures.OfferedOrAllocated.Scalar(resource.Name).ToDouble();
        }

        foreach (var role in figures.Roles)
        {
            into[$"{Prefix}roles/{role.Role}/shares/dominant"] = role.DominantShare;
            into[$"{Prefix}offer_filters/roles/{role.Role}/active"] = role.ActiveFilters;
            var quota = $"{Prefix}quota/roles/{role.Role}/resources/";
            foreach (var guarantee in role.Guarantees.Entries)
            {
                into[$"{quota}{guarantee.Name}/guarantee"] = guarantee.Scalar.ToDouble();
            }

            foreach (var limit in role.Limits.Entries)
            {
                into[$"{quota}{limit.Name}/limit"] = limit.Scalar.ToDouble();
            }

            foreach (var name in role.Guarantees.Entries.Concat(role.Limits.Entries).Select(r => r.Name).Distinct())
            {
                into[$"{quota}{name}/offered_or_allocated"] = role.OfferedOrAllocated.Scalar(name).ToDouble();
            }
        }
    }
}
