using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class ReservationFoldTests
{
    [Fact]
    [FoldsEvent(typeof(ResourcesReserved))]
    public void Apply_ResourcesReserved_TradesTheUnreservedQuantityForTheReservation_InTheTotalAndTheOffer()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024");
        var framework = b.Subscribe(TestCluster.Framework("f", ["eng"]));
        var offer = b.Allocate().Single();

        var after = ClusterFold.Apply(b.State, new ResourcesReserved(agent, TestCluster.Res("cpus(eng@f):1"), offer.Id) { At = b.Now, Principal = "f" });

        Assert.Equal(TestCluster.Res("cpus:3;cpus(eng@f):1;mem:1024"), after.Agents[agent].Info.Resources);
        Assert.Equal(TestCluster.Res("cpus:3;cpus(eng@f):1;mem:1024"), after.Offers[offer.Id].Resources);
        Assert.Equal(after.Offers[offer.Id].Resources, after.Agents[agent].Offered);
        Assert.Equal(after.Offers[offer.Id].Resources, after.Frameworks[framework].OfferedOn[agent]);
    }

    [Fact]
    [FoldsEvent(typeof(ResourcesUnreserved))]
    public void Apply_ResourcesUnreserved_PopsTheLastReservation_BackToTheParentRole()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus(eng):4;mem:1024");
        b.Execute(new ReserveResources(agent, TestCluster.Res("cpus(eng,eng/web@admin):3")) { Principal = "operator" });
        Assert.Equal(TestCluster.Res("cpus(eng):1;cpus(eng,eng/web@admin):3;mem:1024"), b.State.Agents[agent].Info.Resources);

        var after = ClusterFold.Apply(b.State, new ResourcesUnreserved(agent, TestCluster.Res("cpus(eng,eng/web@admin):2"), null) { At = b.Now, Principal = "operator" });

        Assert.Equal(TestCluster.Res("cpus(eng):3;cpus(eng,eng/web@admin):1;mem:1024"), after.Agents[agent].Info.Resources);
    }

    [Fact]
    public void Reservations_SurviveAFailoverAndTheAgentReregisteringWithItsStaticResources()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;cpus(ops):1");
        b.Execute(new ReserveResources(agent, TestCluster.Res("cpus(eng@admin):2;mem(eng@admin#why=db):512")) { Principal = "operator" });
        var reserved = b.State.Agents[agent].Info.Resources;

        b.ElectMaster(TestCluster.Master2);
        b.Execute(new ReregisterAgent(agent, TestCluster.Agent("a1", "cpus:4;mem:1024;cpus(ops):1"), []) { Principal = "a1" });

        Assert.Equal(reserved, b.State.Agents[agent].Info.Resources);
        Assert.Equal(TestCluster.Res("cpus:2;mem:512;cpus(ops):1;cpus(eng@admin):2;mem(eng@admin#why=db):512"), b.State.Agents[agent].Info.Resources);
        var replayed = ClusterFold.ApplyAll(ClusterState.Empty, b.Log);
        Assert.Equal(StateHash.Compute(b.State), StateHash.Compute(replayed));
    }
}
