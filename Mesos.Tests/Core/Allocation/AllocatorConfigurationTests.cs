using Mesos.Core.Allocation;
using Mesos.Core.Allocation.Audit;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.EventLog.Snapshots;
using Mesos.Tests.Core.Scenarios;
using Mesos.Tests.Core.State;

namespace Mesos.Tests.Core.Allocation;

/// <summary>The allocator's settings enter the log at an election, and every cycle, live or audited, reads them from the state.</summary>
public sealed class AllocatorConfigurationTests
{
    private const string Larger = "cpus:1;mem:512";

    [Fact]
    public void ElectMaster_WithAnotherMinimum_RecordsItAfterTheElection()
    {
        var builder = new ClusterBuilder();

        var events = builder.Execute(new ElectMaster(TestCluster.Master1) { Principal = "master", MinAllocatableResources = MinimumAllocatable.Parse(Larger) });

        Assert.Collection(
            events,
            e => Assert.IsType<MasterElected>(e),
            e => Assert.Equal(Larger, Assert.IsType<AllocatorConfigured>(e).MinAllocatableResources));
        Assert.Equal(Larger, builder.State.MinAllocatableResources);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(MinimumAllocatable.DefaultText)]
    public void ElectMaster_WithTheLogsMinimumOrNone_RecordsOnlyTheElection(string? minimum)
    {
        var builder = new ClusterBuilder();

        var events = builder.Execute(new ElectMaster(TestCluster.Master1)
        {
            Principal = "master",
            MinAllocatableResources = minimum is null ? null : MinimumAllocatable.Parse(minimum),
        });

        Assert.IsType<MasterElected>(Assert.Single(events));
    }

    [Fact]
    public void ElectMaster_BackToTheDefault_RecordsTheDefault()
    {
        var builder = new ClusterBuilder();
        builder.Execute(new ElectMaster(TestCluster.Master1) { Principal = "master", MinAllocatableResources = MinimumAllocatable.Parse(Larger) });

        var events = builder.Execute(new ElectMaster(TestCluster.Master2) { Principal = "master", MinAllocatableResources = MinimumAllocatable.Default });

        Assert.Equal(MinimumAllocatable.DefaultText, Assert.IsType<AllocatorConfigured>(events[1]).MinAllocatableResources);
        Assert.Equal(MinimumAllocatable.DefaultText, builder.State.MinimumAllocatable.Text);
    }

    [Fact]
    [FoldsEvent(typeof(AllocatorConfigured))]
    public void Apply_AllocatorConfigured_SetsTheMinimumTheAllocatorReads()
    {
        var before = ClusterBuilder.WithMaster().State;
        Assert.Equal(MinimumAllocatable.DefaultText, before.MinAllocatableResources);

        var after = ClusterFold.Apply(before, new AllocatorConfigured("disk:100|cpus:1;mem:64") { At = TestCluster.T0, Principal = "master" });

        Assert.Equal("disk:100|cpus:1;mem:64", after.MinAllocatableResources);
        Assert.True(after.MinimumAllocatable.IsMet(TestCluster.Res("disk:100")));
        Assert.False(after.MinimumAllocatable.IsMet(TestCluster.Res("cpus:1;mem:32")));
    }

    [Fact]
    public void StateHash_WritesOnlyAMinimumOtherThanTheDefault()
    {
        var state = ClusterBuilder.WithMaster().State;
        var asDefault = state with { MinAllocatableResources = MinimumAllocatable.DefaultText };
        var other = state with { MinAllocatableResources = Larger };

        Assert.Equal(StateHash.Compute(state), StateHash.Compute(asDefault));
        Assert.NotEqual(StateHash.Compute(state), StateHash.Compute(other));
        Assert.Contains(Larger, StateHash.Canonical(other), StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_KeepsTheMinimum()
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, StateHashTests.FixedLogWithRoles());
        Assert.NotEqual(MinimumAllocatable.DefaultText, state.MinAllocatableResources);

        var restored = SnapshotCodec.Decode(SnapshotCodec.Encode(state, 7, DateTimeOffset.UnixEpoch));

        Assert.Equal(state.MinAllocatableResources, restored.MinAllocatableResources);
    }

    [Fact]
    public void Audit_OfARunWithAnotherMinimum_MatchesEveryCycle_AndATamperedOneNamesItsCycle()
    {
        // Agents with little free, so that the larger minimum changes what is offered: the audit must use the logged one.
        var world = new AllocatorWorld(minAllocatable: Larger);
        world.AddAgent("cpus:4;mem:4096");
        world.AddAgent("cpus:0.5;mem:256");
        world.Subscribe("f", "*");
        world.Subscribe("g", "*");
        for (var cycle = 0; cycle < 4; cycle++)
        {
            foreach (var offer in world.Allocate(10 + cycle))
            {
                world.Decline(offer, refuseSeconds: 1);
            }

            world.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.DoesNotContain(world.Log.OfType<OfferMade>(), o => o.Resources.Scalar("cpus").ToDouble() < 1);
        var audit = Audit(world.Log);
        Assert.Null(audit.FirstMismatch);
        Assert.Equal(world.Log.OfType<AllocationCycleRan>().Count(), audit.CyclesChecked);

        var tampered = RecordedRun.Tampered(world.Log, 3, out var tamperedCycle);
        Assert.Equal(tamperedCycle, Audit(tampered).FirstMismatch?.Cycle);
    }

    private static AuditResult Audit(IReadOnlyList<ClusterEvent> log)
    {
        var audit = new AllocationAudit(new HierarchicalDrfAllocator());
        for (var i = 0; i < log.Count; i++)
        {
            audit.Observe(i + 1, log[i]);
        }

        return audit.Finish();
    }
}
