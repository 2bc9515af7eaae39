using Mesos.Core.Allocation;
using Mesos.Core.Allocation.Audit;
using Mesos.Core.Events;

namespace Mesos.Tests.Core.Allocation;

public sealed class AllocationAuditTests
{
    private static AuditResult Audit(IReadOnlyList<ClusterEvent> events, IAllocator? allocator = null)
    {
        var audit = new AllocationAudit(allocator ?? new HierarchicalDrfAllocator());
        for (var i = 0; i < events.Count; i++)
        {
            audit.Observe(i + 1, events[i]);
        }

        return audit.Finish();
    }

    [Fact]
    public void RecordedLog_EveryCycleMatches()
    {
        var events = RecordedRun.Events();

        var result = Audit(events);

        Assert.Null(result.FirstMismatch);
        Assert.Equal(events.OfType<AllocationCycleRan>().Count(), result.CyclesChecked);
        Assert.True(result.CyclesChecked >= 6, $"only {result.CyclesChecked} cycles recorded");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    public void TamperedOffer_NamesItsCycle(int nth)
    {
        var tampered = RecordedRun.Tampered(RecordedRun.Events(), nth, out var cycle);

        var mismatch = Audit(tampered).FirstMismatch;

        Assert.NotNull(mismatch);
        Assert.Equal(cycle, mismatch.Cycle);
        Assert.Contains("recorded", mismatch.Difference, StringComparison.Ordinal);
    }

    [Fact]
    public void DroppedOffer_IsReportedAsACountMismatch()
    {
        var events = RecordedRun.Events().ToList();
        var firstOffer = events.FindIndex(e => e is OfferMade);
        events.RemoveAt(firstOffer);

        var mismatch = Audit(events).FirstMismatch;

        Assert.NotNull(mismatch);
        Assert.Equal(1, mismatch.Cycle);
    }

    [Fact]
    public void LogOfAnotherAllocator_DiffersAtTheFirstCycleThatWouldGoAnotherWay()
    {
        var events = RecordedRun.Events();

        Assert.NotNull(Audit(events, new RoundRobinAllocator()).FirstMismatch);
    }
}
