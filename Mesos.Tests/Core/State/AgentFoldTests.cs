using Mesos.Core.Agents;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class AgentFoldTests
{
    [Fact]
    [FoldsEvent(typeof(AgentRegistered))]
    public void Apply_AgentRegistered_AddsAnActiveAgentAndBumpsNextAgentNumber()
    {
        var before = ClusterBuilder.WithMaster().State;
        var id = new AgentId("m1-S0");
        var info = TestCluster.Agent();
        var at = TestCluster.T0.AddSeconds(1);

        var after = ClusterFold.Apply(before, new AgentRegistered(id, info) { At = at, Principal = "agent1" });

        Assert.Equal(new AgentState(id, info, AgentStatus.Active, at, null, at, ResourceSet.Empty, ResourceSet.Empty), after.Agents[id]);
        Assert.Equal(before.NextAgentNumber + 1, after.NextAgentNumber);
        Assert.Equal(TestCluster.Res(TestCluster.AgentResources), after.Agents[id].Available);
    }

    [Fact]
    [FoldsEvent(typeof(AgentReregistered))]
    public void Apply_AgentReregistered_KnownAgent_BecomesActiveWithItsNewInfoAndKeepsItsTasks()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1", "cpus:1;mem:128;ports:[31000-31000]");
        b.Append(new AgentMarkedUnreachable(agent) { At = b.Now, Principal = "m1" });
        b.AdvanceSeconds(300);
        var before = b.State;
        var info = TestCluster.Agent("a1-renamed");

        var after = ClusterFold.Apply(before, new AgentReregistered(agent, info) { At = b.Now, Principal = "a1" });

        Assert.Equal(
            before.Agents[agent] with { Info = info, Status = AgentStatus.Active, ReregisteredAt = b.Now, LastSeen = b.Now },
            after.Agents[agent]);
        Assert.Equal(TestCluster.Res("cpus:1;mem:128;ports:[31000-31000]"), after.Agents[agent].Used);
        Assert.Equal(before.NextAgentNumber, after.NextAgentNumber);
    }

    [Fact]
    [FoldsEvent(typeof(AgentReregistered))]
    public void Apply_AgentReregistered_AgentThisLogNeverAdmitted_IsAdmittedActive()
    {
        var before = ClusterBuilder.WithMaster().State;
        var id = new AgentId("elsewhere-S7");
        var info = TestCluster.Agent();
        var at = TestCluster.T0.AddMinutes(1);

        var after = ClusterFold.Apply(before, new AgentReregistered(id, info) { At = at, Principal = "agent1" });

        Assert.Equal(new AgentState(id, info, AgentStatus.Active, at, at, at, ResourceSet.Empty, ResourceSet.Empty), after.Agents[id]);
        Assert.Equal(before.NextAgentNumber, after.NextAgentNumber);
    }

    [Fact]
    [FoldsEvent(typeof(AgentHeartbeatReceived))]
    public void Apply_AgentHeartbeatReceived_OnlyMovesLastSeen()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        b.AdvanceSeconds(15);
        var before = b.State;

        var after = ClusterFold.Apply(before, new AgentHeartbeatReceived(agent) { At = b.Now, Principal = "agent1" });

        Assert.Equal(before.Agents[agent] with { LastSeen = b.Now }, after.Agents[agent]);
    }

    [Fact]
    [FoldsEvent(typeof(AgentHeartbeatReceived))]
    public void Apply_AgentHeartbeatReceived_UnknownAgent_LeavesStateAsItIs()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        var before = b.State;

        var after = ClusterFold.Apply(before, new AgentHeartbeatReceived(new AgentId("nobody")) { At = b.Now, Principal = "x" });

        StateAssert.Equal(before, after);
    }

    public static TheoryData<string> AgentLosses => ["disconnected", "unreachable", "removed"];

    [Theory]
    [MemberData(nameof(AgentLosses))]
    [FoldsEvent(typeof(AgentDisconnected))]
    [FoldsEvent(typeof(AgentMarkedUnreachable))]
    [FoldsEvent(typeof(AgentRemoved))]
    public void Apply_AgentLost_SetsItsStatusAndRescindsItsOffersWithoutFilter(string loss)
    {
        var b = ClusterBuilder.WithMaster();
        var lost = b.RegisterAgent("a1");
        var kept = b.RegisterAgent("a2");
        var framework = b.Subscribe();
        var task = b.RunningTask(framework, lost, "t1");
        b.Allocate();
        var lostOffer = b.Offer(framework, lost);
        var keptOffer = b.Offer(framework, kept);
        var before = b.State;
        var at = b.Now.AddSeconds(1);
        (ClusterEvent Event, AgentStatus Status) change = loss switch
        {
            "disconnected" => (new AgentDisconnected(lost) { At = at, Principal = "m1" }, AgentStatus.Disconnected),
            "unreachable" => (new AgentMarkedUnreachable(lost) { At = at, Principal = "m1" }, AgentStatus.Unreachable),
            _ => (new AgentRemoved(lost, "decommissioned") { At = at, Principal = "operator" }, AgentStatus.Removed),
        };

        var after = ClusterFold.Apply(before, change.Event);

        Assert.Equal(before.Agents[lost] with { Status = change.Status, Offered = ResourceSet.Empty }, after.Agents[lost]);
        Assert.False(after.Offers.ContainsKey(lostOffer.Id));
        Assert.Equal(keptOffer, after.Offers[keptOffer.Id]);
        Assert.Equal(before.Agents[kept], after.Agents[kept]);
        Assert.Equal(keptOffer.Resources, after.Frameworks[framework].Offered);
        Assert.Empty(after.Frameworks[framework].Filters);
        Assert.Same(before.Tasks[task], after.Tasks[task]);
    }
}
