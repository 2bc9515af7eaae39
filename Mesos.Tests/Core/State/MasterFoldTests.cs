using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class MasterFoldTests
{
    [Fact]
    [FoldsEvent(typeof(MasterElected))]
    public void Apply_MasterElected_DisconnectsActiveAgentsAndFrameworksAndVoidsOffers()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        var task = b.RunningTask(framework, agent, "t1");
        b.Allocate();
        b.AdvanceSeconds(30);
        var before = b.State;
        Assert.NotEmpty(before.Offers);

        var after = ClusterFold.Apply(before, new MasterElected(TestCluster.Master2) { At = b.Now, Principal = "m2" });

        Assert.Equal(TestCluster.Master2, after.Master);
        Assert.Equal(before.MasterEpoch + 1, after.MasterEpoch);
        Assert.Equal("m2", after.IdPrefix);
        Assert.Empty(after.Offers);
        Assert.Equal(before.NextOfferNumber, after.NextOfferNumber);
        Assert.Equal(before.NextAgentNumber, after.NextAgentNumber);
        Assert.Equal(before.NextFrameworkNumber, after.NextFrameworkNumber);

        Assert.Equal(
            before.Agents[agent] with { Status = AgentStatus.Disconnected, LastSeen = b.Now, Offered = ResourceSet.Empty },
            after.Agents[agent]);

        var f = after.Frameworks[framework];
        Assert.Equal(FrameworkStatus.Disconnected, f.Status);
        Assert.Equal(b.Now, f.DisconnectedAt);
        Assert.True(f.Offered.IsEmpty);
        Assert.Equal(before.Frameworks[framework].Used, f.Used);

        Assert.Same(before.Tasks[task], after.Tasks[task]);
    }

    [Fact]
    [FoldsEvent(typeof(MasterElected))]
    public void Apply_MasterElected_KeepsUnreachableAgentsAndEarlierDisconnectionTimes()
    {
        var b = ClusterBuilder.WithMaster();
        var unreachable = b.RegisterAgent("a1");
        var disconnected = b.RegisterAgent("a2");
        var framework = b.Subscribe();
        b.Append(new AgentMarkedUnreachable(unreachable) { At = b.Now, Principal = "m1" });
        b.Execute(new DisconnectAgent(disconnected) { Principal = "m1" });
        b.AdvanceSeconds(20);
        b.Execute(new DisconnectFramework(framework) { Principal = "m1" });
        var disconnectedAt = b.Now;
        b.AdvanceSeconds(100);
        var before = b.State;

        var after = ClusterFold.Apply(before, new MasterElected(TestCluster.Master2) { At = b.Now, Principal = "m2" });

        Assert.Equal(before.Agents[unreachable], after.Agents[unreachable]);
        Assert.Equal(before.Agents[disconnected], after.Agents[disconnected]);
        Assert.Equal(disconnectedAt, after.Frameworks[framework].DisconnectedAt);
        Assert.Equal(FrameworkStatus.Disconnected, after.Frameworks[framework].Status);
    }
}
