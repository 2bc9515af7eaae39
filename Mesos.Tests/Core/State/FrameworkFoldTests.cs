using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class FrameworkFoldTests
{
    [Fact]
    [FoldsEvent(typeof(FrameworkSubscribed))]
    public void Apply_FrameworkSubscribed_New_AddsAnActiveFrameworkAndBumpsNextFrameworkNumber()
    {
        var before = ClusterBuilder.WithMaster().State;
        var id = new FrameworkId("m1-0000");
        var info = TestCluster.Framework();
        var at = TestCluster.T0.AddSeconds(3);

        var after = ClusterFold.Apply(before, new FrameworkSubscribed(id, info, Resubscribed: false) { At = at, Principal = "marathon" });

        var f = after.Frameworks[id];
        Assert.Equal((id, info, FrameworkStatus.Active, at), (f.Id, f.Info, f.Status, f.RegisteredAt));
        Assert.Null(f.ReregisteredAt);
        Assert.Null(f.DisconnectedAt);
        Assert.Empty(f.SuppressedRoles);
        Assert.Empty(f.Filters);
        Assert.True(f.Used.IsEmpty);
        Assert.True(f.Offered.IsEmpty);
        Assert.Empty(f.CompletedTasks);
        Assert.Equal(before.NextFrameworkNumber + 1, after.NextFrameworkNumber);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkSubscribed))]
    public void Apply_FrameworkSubscribed_Resubscription_ReplacesInfoAndReconnectsKeepingItsTasks()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");
        b.Execute(new DisconnectFramework(framework) { Principal = "m1" });
        b.AdvanceSeconds(60);
        var before = b.State;
        var info = TestCluster.Framework("marathon-2");

        var after = ClusterFold.Apply(before, new FrameworkSubscribed(framework, info, Resubscribed: true) { At = b.Now, Principal = "marathon" });

        var f = after.Frameworks[framework];
        Assert.Equal(info, f.Info);
        Assert.Equal(FrameworkStatus.Active, f.Status);
        Assert.Equal(before.Frameworks[framework].RegisteredAt, f.RegisteredAt);
        Assert.Equal(b.Now, f.ReregisteredAt);
        Assert.Null(f.DisconnectedAt);
        Assert.Equal(TestCluster.Res("cpus:1;mem:128"), f.Used);
        Assert.Equal(before.NextFrameworkNumber, after.NextFrameworkNumber);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkSubscribed))]
    public void Apply_FrameworkSubscribed_ResubscriptionOfAnIdThisLogNeverSaw_AddsItWithoutMintingANumber()
    {
        var before = ClusterBuilder.WithMaster().State;
        var id = new FrameworkId("m0-0007");
        var at = TestCluster.T0.AddSeconds(3);

        var after = ClusterFold.Apply(before, new FrameworkSubscribed(id, TestCluster.Framework(), Resubscribed: true) { At = at, Principal = "marathon" });

        Assert.Equal(FrameworkStatus.Active, after.Frameworks[id].Status);
        Assert.Equal(at, after.Frameworks[id].ReregisteredAt);
        Assert.Equal(before.NextFrameworkNumber, after.NextFrameworkNumber);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkDisconnected))]
    public void Apply_FrameworkDisconnected_MarksItDisconnectedAndRescindsOnlyItsOffers()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var f = b.Subscribe(TestCluster.Framework("f"));
        var g = b.Subscribe(TestCluster.Framework("g"));
        b.Allocate();
        var fOffer = b.Offer(f, a1);
        var gOffer = b.Offer(g, a2);
        var before = b.State;

        var after = ClusterFold.Apply(before, new FrameworkDisconnected(f) { At = b.Now, Principal = "m1" });

        Assert.Equal(FrameworkStatus.Disconnected, after.Frameworks[f].Status);
        Assert.Equal(b.Now, after.Frameworks[f].DisconnectedAt);
        Assert.True(after.Frameworks[f].Offered.IsEmpty);
        Assert.Empty(after.Frameworks[f].Filters);
        Assert.False(after.Offers.ContainsKey(fOffer.Id));
        Assert.True(after.Agents[a1].Offered.IsEmpty);
        Assert.Equal(gOffer, after.Offers[gOffer.Id]);
        Assert.Equal(gOffer.Resources, after.Agents[a2].Offered);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkRemoved))]
    public void Apply_FrameworkRemoved_MovesItsTasksToCompletedAsKilledAndReleasesEverythingOnce()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var f = b.Subscribe(TestCluster.Framework("f", capabilities: FrameworkCapability.PartitionAware));
        var g = b.Subscribe(TestCluster.Framework("g"));
        b.Allocate();
        var t1 = TestCluster.Task("t1", a1);
        var t2 = TestCluster.Task("t2", a1);
        var t4 = TestCluster.Task("t4", a1);
        b.Execute(new AcceptOffers(f, [b.Offer(f, a1).Id], [t1, t2, t4], 0) { Principal = "f" });
        b.Execute(new AcceptOffers(g, [b.Offer(g, a2).Id], [TestCluster.Task("g2", a2)], 0) { Principal = "g" });
        b.Allocate();
        b.Execute(new AcceptOffers(g, [b.Offer(g, a1).Id], [TestCluster.Task("g1", a1)], 0) { Principal = "g" });
        b.Execute(new AcceptOffers(f, [b.Offer(f, a2).Id], [TestCluster.Task("t3", a2)], 0) { Principal = "f" });
        b.Allocate();
        var fOffer = b.Offer(f, a1);
        foreach (var (fw, id) in new[] { (f, "t1"), (f, "t3"), (f, "t4"), (g, "g1"), (g, "g2") })
        {
            b.UpdateAndAck(new TaskKey(fw, new TaskId(id)), TaskState.Running);
        }

        b.Update(new TaskKey(f, new TaskId("t4")), TaskState.Finished);
        b.AdvanceSeconds(100);
        b.Execute(new RecordAgentHeartbeat(a1) { Principal = "a1" });
        b.Execute(new CheckAgentHealth(TimeSpan.FromSeconds(75)) { Principal = "m1" });
        Assert.Equal(TaskState.Unreachable, b.State.Tasks[new TaskKey(f, new TaskId("t3"))].State);
        var before = b.State;

        var after = ClusterFold.Apply(before, new FrameworkRemoved(f, "torn down") { At = b.Now, Principal = "operator" });

        Assert.False(after.Frameworks.ContainsKey(f));
        var removed = after.CompletedFrameworks[^1];
        Assert.Equal(f, removed.Id);
        Assert.Equal(FrameworkStatus.Removed, removed.Status);
        Assert.Empty(removed.Filters);
        Assert.True(removed.Used.IsEmpty);
        Assert.True(removed.Offered.IsEmpty);
        Assert.DoesNotContain(after.Tasks.Keys, k => k.FrameworkId == f);
        Assert.False(after.Offers.ContainsKey(fOffer.Id));

        var completed = removed.CompletedTasks.ToDictionary(t => t.Key.TaskId.Value);
        Assert.Equal(["t1", "t2", "t3", "t4"], completed.Keys.Order(StringComparer.Ordinal));
        foreach (var id in new[] { "t1", "t2", "t3" })
        {
            var task = completed[id];
            Assert.Equal(TaskState.Killed, task.State);
            Assert.True(task.ResourcesReleased);
            Assert.Null(task.PendingUuid);
            var last = task.Statuses[^1];
            Assert.Equal((TaskState.Killed, TaskReason.FrameworkRemoved, StatusSource.Master, (Guid?)null, b.Now), (last.State, last.Reason, last.Source, last.Uuid, last.Timestamp));
        }

        Assert.Equal(TaskState.Finished, completed["t4"].State);
        Assert.Null(completed["t4"].PendingUuid);

        var oneTask = TestCluster.Res("cpus:1;mem:128");
        Assert.Equal(oneTask, after.Agents[a1].Used);
        Assert.True(after.Agents[a1].Offered.IsEmpty);
        Assert.True(after.Agents[a2].Used.IsEmpty);
        Assert.Equal(oneTask, after.Frameworks[g].Used);
        Assert.Same(before.Frameworks[g], after.Frameworks[g]);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkRemoved))]
    public void Apply_FrameworkRemoved_KeepsOnlyTheLast50CompletedFrameworks()
    {
        var b = ClusterBuilder.WithMaster();
        for (var i = 0; i <= ClusterState.MaxCompletedFrameworks; i++)
        {
            var id = new FrameworkId($"m1-{i:D4}");
            b.Append(
                new FrameworkSubscribed(id, TestCluster.Framework(), false) { At = b.Now, Principal = "f" },
                new FrameworkRemoved(id, "torn down") { At = b.Now, Principal = "f" });
        }

        Assert.Equal(ClusterState.MaxCompletedFrameworks, b.State.CompletedFrameworks.Count);
        Assert.Equal(new FrameworkId("m1-0001"), b.State.CompletedFrameworks[0].Id);
        Assert.Empty(b.State.Frameworks);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkRemoved))]
    public void Apply_FrameworkRemoved_UnknownFramework_LeavesStateAsItIs()
    {
        var b = ClusterBuilder.WithMaster();
        b.Subscribe();
        var before = b.State;

        var after = ClusterFold.Apply(before, new FrameworkRemoved(new FrameworkId("nobody"), "x") { At = b.Now, Principal = "x" });

        StateAssert.Equal(before, after);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkSuppressed))]
    public void Apply_FrameworkSuppressed_AddsTheRolesAndNoRolesMeansAll()
    {
        var b = ClusterBuilder.WithMaster();
        var f = b.Subscribe(TestCluster.Framework(roles: ["a", "b", "c"], capabilities: FrameworkCapability.MultiRole));

        var some = ClusterFold.Apply(b.State, new FrameworkSuppressed(f, ["b"]) { At = b.Now, Principal = "f" });
        var all = ClusterFold.Apply(some, new FrameworkSuppressed(f, ValueArray<string>.Empty) { At = b.Now, Principal = "f" });

        Assert.Equal(["b"], some.Frameworks[f].SuppressedRoles);
        Assert.Equal(["a", "b", "c"], all.Frameworks[f].SuppressedRoles);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkRevived))]
    public void Apply_FrameworkRevived_RemovesTheRolesAndClearsEveryFilter()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var f = b.Subscribe(TestCluster.Framework(roles: ["a", "b", "c"], capabilities: FrameworkCapability.MultiRole));
        b.Allocate();
        b.Execute(new DeclineOffers(f, [b.Offer(f, agent).Id], 3600) { Principal = "f" });
        b.Execute(new SuppressOffers(f, []) { Principal = "f" });
        Assert.NotEmpty(b.State.Frameworks[f].Filters);

        var some = ClusterFold.Apply(b.State, new FrameworkRevived(f, ["b"]) { At = b.Now, Principal = "f" });
        var all = ClusterFold.Apply(some, new FrameworkRevived(f, []) { At = b.Now, Principal = "f" });

        Assert.Equal(["a", "c"], some.Frameworks[f].SuppressedRoles);
        Assert.Empty(some.Frameworks[f].Filters);
        Assert.Empty(all.Frameworks[f].SuppressedRoles);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkUpdated))]
    public void Apply_FrameworkUpdated_ReplacesTheInfoAndTheWholeSetOfSuppressedRoles()
    {
        var b = ClusterBuilder.WithMaster();
        var f = b.Subscribe(TestCluster.Framework(roles: ["a", "b", "c"], capabilities: FrameworkCapability.MultiRole));
        b.Execute(new SuppressOffers(f, ["a", "b"]) { Principal = "f" });
        var info = TestCluster.Framework(roles: ["b", "c", "d"], capabilities: FrameworkCapability.MultiRole) with { Name = "renamed", FailoverTimeoutSeconds = 60 };

        var after = ClusterFold.Apply(b.State, new FrameworkUpdated(f, info, ["d", "c"]) { At = b.Now, Principal = "f" });

        Assert.Equal(info, after.Frameworks[f].Info);
        Assert.Equal(["c", "d"], after.Frameworks[f].SuppressedRoles);
        Assert.Equal(b.State.Frameworks[f].Status, after.Frameworks[f].Status);
        Assert.Equal(b.State.Frameworks[f].RegisteredAt, after.Frameworks[f].RegisteredAt);
    }

    [Fact]
    [FoldsEvent(typeof(AllocationCycleRan))]
    public void Apply_AllocationCycleRan_RecordsTheHighestCycle()
    {
        var state = ClusterBuilder.WithMaster().State;

        var third = ClusterFold.Apply(state, new AllocationCycleRan(3, 42, 1) { At = TestCluster.T0, Principal = "allocator" });
        var stale = ClusterFold.Apply(third, new AllocationCycleRan(2, 41, 1) { At = TestCluster.T0, Principal = "allocator" });

        Assert.Equal(3, third.AllocationCycles);
        Assert.Equal(3, stale.AllocationCycles);
        Assert.Equal(state.NextOfferNumber, third.NextOfferNumber);
    }
}
