using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class VolumeResizeFoldTests
{
    [Fact]
    [FoldsEvent(typeof(VolumeGrown))]
    public void Apply_VolumeGrown_TakesTheAdditionIntoTheVolume_InTheTotalAndTheOffer()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;disk(eng):100");
        b.Execute(new CreateVolumes(agent, TestCluster.Res("disk(eng)[db:data:rw]:60")) { Principal = "operator" });
        var framework = b.Subscribe(TestCluster.Framework("f", ["eng"]));
        var offer = b.Allocate().Single();

        var after = ClusterFold.Apply(b.State, new VolumeGrown(agent, TestCluster.Res("disk(eng)[db:data:rw]:60"), TestCluster.Res("disk(eng):30"), offer.Id) { At = b.Now, Principal = "f" });

        var expected = TestCluster.Res("cpus:4;mem:1024;disk(eng):10;disk(eng)[db:data:rw]:90");
        Assert.Equal(expected, after.Agents[agent].Info.Resources);
        Assert.Equal(expected, after.Offers[offer.Id].Resources);
        Assert.Equal(expected, after.Agents[agent].Offered);
        Assert.Equal(expected, after.Frameworks[framework].OfferedOn[agent]);
    }

    [Fact]
    [FoldsEvent(typeof(VolumeShrunk))]
    public void Apply_VolumeShrunk_GivesTheSubtractedDiskBackToTheReservation()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;disk:100");
        b.Execute(new ReserveResources(agent, TestCluster.Res("disk(eng@admin):100")) { Principal = "operator" });
        b.Execute(new CreateVolumes(agent, TestCluster.Res("disk(eng@admin)[db:data:rw]:60")) { Principal = "operator" });

        var after = ClusterFold.Apply(b.State, new VolumeShrunk(agent, TestCluster.Res("disk(eng@admin)[db:data:rw]:60"), TestCluster.Res("disk(eng@admin):15.5"), null) { At = b.Now, Principal = "operator" });

        Assert.Equal(TestCluster.Res("cpus:4;mem:1024;disk(eng@admin):55.5;disk(eng@admin)[db:data:rw]:44.5"), after.Agents[agent].Info.Resources);
    }

    [Fact]
    public void ResizedVolumes_SurviveAFailoverAndTheAgentReregisteringWithItsStaticResources()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;disk(ops):100;disk:500");
        b.Execute(new ReserveResources(agent, TestCluster.Res("disk(eng@admin):200")) { Principal = "operator" });
        b.Execute(new CreateVolumes(agent, TestCluster.Res("disk(eng@admin)[a:data:rw]:50;disk(ops)[b:data:rw]:40")) { Principal = "operator" });
        b.Execute(new GrowVolume(agent, TestCluster.Res("disk(eng@admin)[a:data:rw]:50"), TestCluster.Res("disk(eng@admin):100")) { Principal = "operator" });
        b.Execute(new ShrinkVolume(agent, TestCluster.Res("disk(ops)[b:data:rw]:40"), Mesos.Core.Resources.ScalarValue.FromDouble(10)) { Principal = "operator" });
        var resized = b.State.Agents[agent].Info.Resources;

        b.ElectMaster(TestCluster.Master2);
        b.Execute(new ReregisterAgent(agent, TestCluster.Agent("a1", "cpus:4;mem:1024;disk(ops):100;disk:500"), []) { Principal = "a1" });

        Assert.Equal(TestCluster.Res("cpus:4;mem:1024;disk:300;disk(eng@admin):50;disk(eng@admin)[a:data:rw]:150;disk(ops):70;disk(ops)[b:data:rw]:30"), resized);
        Assert.Equal(resized, b.State.Agents[agent].Info.Resources);
        Assert.Equal(StateHash.Compute(b.State), StateHash.Compute(ClusterFold.ApplyAll(ClusterState.Empty, b.Log)));
    }
}
