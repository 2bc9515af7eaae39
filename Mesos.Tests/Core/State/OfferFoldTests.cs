using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class OfferFoldTests
{
    [Fact]
    [FoldsEvent(typeof(OfferMade))]
    public void Apply_OfferMade_AddsTheOfferAndCountsItAsOfferedOnAgentAndFramework()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var before = b.State;
        var id = new OfferId("m1-O0");
        var resources = TestCluster.Res("cpus:4;mem:4096;disk:10000;ports:[31000-32000]");

        var after = ClusterFold.Apply(before, new OfferMade(id, framework, agent, "*", resources) { At = b.Now, Principal = "allocator" });

        Assert.Equal(new OfferState(id, framework, agent, "*", resources, b.Now), after.Offers[id]);
        Assert.Equal(resources, after.Agents[agent].Offered);
        Assert.True(after.Agents[agent].Available.IsEmpty);
        Assert.Equal(resources, after.Frameworks[framework].Offered);
        Assert.Equal(before.NextOfferNumber + 1, after.NextOfferNumber);
    }

    [Fact]
    [FoldsEvent(typeof(OfferDeclined))]
    public void Apply_OfferDeclined_RemovesTheOfferAndRefusesItsResourcesUntilRefuseUntil()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var until = b.Now.AddSeconds(10);

        var after = ClusterFold.Apply(b.State, new OfferDeclined(offer.Id, until) { At = b.Now, Principal = "f" });

        Assert.Empty(after.Offers);
        Assert.True(after.Agents[agent].Offered.IsEmpty);
        Assert.True(after.Frameworks[framework].Offered.IsEmpty);
        Assert.Equal(new OfferFilter(offer.Resources, until), after.Frameworks[framework].Filters[agent]);
    }

    [Fact]
    [FoldsEvent(typeof(OfferDeclined))]
    public void Apply_OfferDeclined_RefuseUntilNotAfterItsTime_InstallsNoFilter()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        var after = ClusterFold.Apply(b.State, new OfferDeclined(offer.Id, b.Now) { At = b.Now, Principal = "f" });

        Assert.Empty(after.Offers);
        Assert.Empty(after.Frameworks[framework].Filters);
    }

    [Fact]
    [FoldsEvent(typeof(OfferAccepted))]
    public void Apply_OfferAccepted_WithoutLaunches_RefusesTheWholeOffer()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var until = b.Now.AddSeconds(5);

        var after = ClusterFold.Apply(b.State, new OfferAccepted(offer.Id, until) { At = b.Now, Principal = "f" });

        Assert.Empty(after.Offers);
        Assert.True(after.Agents[agent].Offered.IsEmpty);
        Assert.True(after.Frameworks[framework].Offered.IsEmpty);
        Assert.Equal(new OfferFilter(offer.Resources, until), after.Frameworks[framework].Filters[agent]);
    }

    [Fact]
    [FoldsEvent(typeof(OfferAccepted))]
    public void Apply_OfferAccepted_AfterItsLaunches_RefusesOnlyTheLeftovers()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        b.Launch(offer, "t1", "cpus:1;mem:128;ports:[31000-31000]", refuseSeconds: 10);

        Assert.Empty(b.State.Offers);
        Assert.Equal(
            new OfferFilter(TestCluster.Res("cpus:3;mem:3968;disk:10000;ports:[31001-32000]"), b.Now.AddSeconds(10)),
            b.State.Frameworks[framework].Filters[agent]);
        Assert.True(b.State.Agents[agent].Offered.IsEmpty);
        Assert.True(b.State.Frameworks[framework].Offered.IsEmpty);
    }

    [Fact]
    [FoldsEvent(typeof(OfferAccepted))]
    public void Apply_OfferAccepted_LaunchesUsedTheWholeOffer_InstallsNoFilter()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        b.Launch(offer, "t1", TestCluster.AgentResources, refuseSeconds: 10);

        Assert.Empty(b.State.Frameworks[framework].Filters);
        Assert.Equal(TestCluster.Res(TestCluster.AgentResources), b.State.Agents[agent].Used);
    }

    [Fact]
    [FoldsEvent(typeof(OfferRescinded))]
    public void Apply_OfferRescinded_RemovesTheOfferWithoutFilter()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        var after = ClusterFold.Apply(b.State, new OfferRescinded(offer.Id, "offer timeout") { At = b.Now, Principal = "m1" });

        Assert.Empty(after.Offers);
        Assert.True(after.Agents[agent].Offered.IsEmpty);
        Assert.Equal(TestCluster.Res(TestCluster.AgentResources), after.Agents[agent].Available);
        Assert.True(after.Frameworks[framework].Offered.IsEmpty);
        Assert.Empty(after.Frameworks[framework].Filters);
    }

    [Fact]
    [FoldsEvent(typeof(OfferRescinded))]
    public void Apply_OfferRescindedOnOneAgent_KeepsTheSamePortsOfferedToTheFrameworkOnAnother()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var framework = b.Subscribe();
        b.Allocate();
        var kept = b.Offer(framework, a2);

        var after = ClusterFold.Apply(b.State, new OfferRescinded(b.Offer(framework, a1).Id, "agent draining") { At = b.Now, Principal = "m1" });

        var f = after.Frameworks[framework];
        Assert.Equal(kept.Resources, Assert.Single(f.OfferedOn, o => o.Key == a2).Value);
        Assert.False(f.OfferedOn.ContainsKey(a1));
        Assert.Equal(TestCluster.Res(TestCluster.AgentResources), f.Offered);
    }

    [Fact]
    [FoldsEvent(typeof(OfferRescinded))]
    public void Apply_OfferRescinded_OfferAlreadyGone_LeavesStateAsItIs()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        b.Subscribe();
        var offer = b.Allocate().Single();
        b.Append(new OfferRescinded(offer.Id, "agent disconnected") { At = b.Now, Principal = "m1" });
        var before = b.State;

        var after = ClusterFold.Apply(before, new OfferRescinded(offer.Id, "offer timeout") { At = b.Now, Principal = "m1" });

        StateAssert.Equal(before, after);
        Assert.True(after.Agents.Values.Single().Offered.IsEmpty);
        Assert.Equal(ResourceSet.Empty, after.Frameworks.Values.Single().Offered);
    }
}
