using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class VolumeFoldTests
{
    [Fact]
    [FoldsEvent(typeof(VolumesCreated))]
    public void Apply_VolumesCreated_TradesTheReservedDiskForTheVolume_InTheTotalAndTheOffer()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;disk(eng):100");
        var framework = b.Subscribe(TestCluster.Framework("f", ["eng"]));
        var offer = b.Allocate().Single();

        var after = ClusterFold.Apply(b.State, new VolumesCreated(agent, TestCluster.Res("disk(eng)[db:data:rw:f-principal]:60"), offer.Id) { At = b.Now, Principal = "f" });

        var expected = TestCluster.Res("cpus:4;mem:1024;disk(eng):40;disk(eng)[db:data:rw:f-principal]:60");
        Assert.Equal(expected, after.Agents[agent].Info.Resources);
        Assert.Equal(expected, after.Offers[offer.Id].Resources);
        Assert.Equal(expected, after.Agents[agent].Offered);
        Assert.Equal(expected, after.Frameworks[framework].OfferedOn[agent]);
    }

    [Fact]
    [FoldsEvent(typeof(VolumesDestroyed))]
    public void Apply_VolumesDestroyed_GivesThePlainReservedDiskBack()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;disk(eng):100");
        b.Execute(new CreateVolumes(agent, TestCluster.Res("disk(eng)[db:data:rw]:60")) { Principal = "operator" });

        var after = ClusterFold.Apply(b.State, new VolumesDestroyed(agent, TestCluster.Res("disk(eng)[db:data:rw]:60"), null) { At = b.Now, Principal = "operator" });

        Assert.Equal(TestCluster.Res("cpus:4;mem:1024;disk(eng):100"), after.Agents[agent].Info.Resources);
    }

    [Fact]
    public void Volumes_SurviveAFailoverAndTheAgentReregisteringWithItsStaticResources()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;disk(ops):100;disk:500");
        b.Execute(new ReserveResources(agent, TestCluster.Res("disk(eng@admin):200")) { Principal = "operator" });
        b.Execute(new CreateVolumes(agent, TestCluster.Res("disk(eng@admin)[a:data:rw]:50;disk(ops)[b:data:rw]:100")) { Principal = "operator" });
        var withVolumes = b.State.Agents[agent].Info.Resources;

        b.ElectMaster(TestCluster.Master2);
        b.Execute(new ReregisterAgent(agent, TestCluster.Agent("a1", "cpus:4;mem:1024;disk(ops):100;disk:500"), []) { Principal = "a1" });

        Assert.Equal(withVolumes, b.State.Agents[agent].Info.Resources);
        Assert.Equal(TestCluster.Res("cpus:4;mem:1024;disk:300;disk(eng@admin):150;disk(eng@admin)[a:data:rw]:50;disk(ops)[b:data:rw]:100"), withVolumes);
        Assert.Equal(StateHash.Compute(b.State), StateHash.Compute(ClusterFold.ApplyAll(ClusterState.Empty, b.Log)));
    }
}
