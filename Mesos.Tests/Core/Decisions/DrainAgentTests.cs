using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;
using Mesos.Tests.Core.State;

namespace Mesos.Tests.Core.Decisions;

/// <summary>DRAIN_AGENT: given events, when the operator's call (or the acknowledgement that empties the agent), then events or an error; and their fold.</summary>
public sealed class DrainAgentTests
{
    private const long TenMinutes = 600_000_000_000;

    private static DrainAgent Drain(AgentId agent, long? grace = TenMinutes, bool markGone = false) =>
        new(agent, grace, markGone) { Principal = "operator" };

    [Fact]
    public void Drain_AnAgentWithARunningTask_StartsDraining_AndWaitsForTheTask()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");

        DecideSpec.When(b, Drain(agent))
            .ThenEvents(new AgentDrainStarted(agent, TenMinutes, false) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void Drain_AnEmptyAgent_IsDrainedAtOnce_AndWithMarkGoneAlsoRemoved()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");

        DecideSpec.When(b, Drain(agent, grace: null))
            .ThenEvents(
                new AgentDrainStarted(agent, null, false) { At = b.Now, Principal = "operator" },
                new AgentDrained(agent) { At = b.Now, Principal = "operator" });

        DecideSpec.When(b, Drain(agent, markGone: true))
            .ThenEvents(
                new AgentDrainStarted(agent, TenMinutes, true) { At = b.Now, Principal = "operator" },
                new AgentDrained(agent) { At = b.Now, Principal = "operator" },
                new AgentRemoved(agent, AgentRemoved.MarkedGone) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void TheAcknowledgementOfTheLastTerminalUpdate_DrainsTheAgent_AndMarksItGoneWhenAsked()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        var t1 = b.RunningTask(framework, agent, "t1");
        var t2 = b.RunningTask(framework, agent, "t2");
        b.Execute(Drain(agent, markGone: true));

        b.UpdateAndAck(t1, TaskState.Killed);
        Assert.Equal(DrainState.Draining, b.State.Agents[agent].Drain!.State);

        // A terminal update not yet acknowledged keeps the task, and so the drain.
        var uuid = b.Update(t2, TaskState.Killed);
        Assert.Equal(DrainState.Draining, b.State.Agents[agent].Drain!.State);

        DecideSpec.When(b, new AcknowledgeStatus(framework, agent, t2.TaskId, uuid) { Principal = "scheduler" })
            .ThenEvents(
                new TaskStatusAcknowledged(framework, t2.TaskId, agent, uuid) { At = b.Now, Principal = "scheduler" },
                new AgentDrained(agent) { At = b.Now, Principal = "scheduler" },
                new AgentRemoved(agent, AgentRemoved.MarkedGone) { At = b.Now, Principal = "scheduler" });
    }

    [Fact]
    public void TearingDownTheLastFramework_DrainsTheAgent()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");
        b.Execute(Drain(agent));

        b.Execute(new TeardownFramework(framework) { Principal = "operator" });

        Assert.Equal(DrainState.Drained, b.State.Agents[agent].Drain!.State);
        Assert.True(b.State.Agents[agent].Deactivated);
    }

    [Fact]
    public void AnUnreachableAgent_CanBeDrained_AndFinishesWhenItComesBackEmpty()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        b.Append(new AgentMarkedUnreachable(agent) { At = b.Now, Principal = "master" });

        DecideSpec.When(b, Drain(agent))
            .ThenEvents(new AgentDrainStarted(agent, TenMinutes, false) { At = b.Now, Principal = "operator" });
        b.Execute(Drain(agent));

        var back = b.Execute(new ReregisterAgent(agent, b.State.Agents[agent].Info, []) { Principal = agent.Value });

        Assert.Contains(back, e => e is AgentDrained d && d.AgentId == agent);
        Assert.Equal(DrainState.Drained, b.State.Agents[agent].Drain!.State);
    }

    [Fact]
    public void Drain_AnUnknownOrGoneAgent_IsRefusedAsMesosDoes()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");

        DecideSpec.When(b, Drain(new AgentId("m1-S99"))).ThenError(DecideErrorKind.InvalidArgument, "Unknown agent");
        b.Execute(new MarkAgentGone(agent) { Principal = "operator" });
        DecideSpec.When(b, Drain(agent)).ThenError(DecideErrorKind.InvalidArgument, "Unknown agent");
    }

    [Fact]
    public void Drain_ADrainingAgentAgain_ReplacesItsConfig()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");
        b.Execute(Drain(agent));
        b.AdvanceSeconds(5);

        b.Execute(Drain(agent, grace: 1_000_000_000, markGone: true));

        Assert.Equal(new AgentDrain(DrainState.Draining, 1_000_000_000, true, b.Now), b.State.Agents[agent].Drain);
    }

    [Fact]
    public void Reactivate_IsRefusedWhileDraining_AndClearsAFinishedDrain()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        var task = b.RunningTask(framework, agent, "t1");
        b.Execute(Drain(agent));

        DecideSpec.When(b, new ReactivateAgent(agent) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "Agent is still in the DRAINING state");

        b.UpdateAndAck(task, TaskState.Killed);
        DecideSpec.When(b, new ReactivateAgent(agent) { Principal = "operator" })
            .ThenEvents(new AgentReactivated(agent) { At = b.Now, Principal = "operator" });
        b.Execute(new ReactivateAgent(agent) { Principal = "operator" });

        Assert.Null(b.State.Agents[agent].Drain);
        Assert.True(b.State.Agents[agent].Offerable);
        Assert.Contains(b.Allocate(), o => o.AgentId == agent);
    }

    [Fact]
    public void ADrainingAgent_IsNeverOffered()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");
        b.Execute(Drain(agent));

        Assert.Empty(b.Allocate());
        b.Execute(new DeactivateAgent(agent) { Principal = "operator" });
        Assert.Empty(b.Allocate());
    }

    [Fact]
    [FoldsEvent(typeof(AgentDrainStarted))]
    [FoldsEvent(typeof(AgentDrained))]
    public void Apply_DrainStarted_DeactivatesAndRescindsOffers_Drained_MarksIt_AndReactivated_ClearsIt()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var other = b.RegisterAgent("a2");
        var framework = b.Subscribe(TestCluster.Framework("fw", capabilities: FrameworkCapability.PartitionAware));
        var task = b.RunningTask(framework, agent, "t1");
        b.Allocate();
        var offer = b.Offer(framework, agent);
        var kept = b.Offer(framework, other);
        var before = b.State;

        var draining = ClusterFold.Apply(before, new AgentDrainStarted(agent, TenMinutes, true) { At = b.Now, Principal = "operator" });

        Assert.Equal(
            before.Agents[agent] with { Deactivated = true, Offered = ResourceSet.Empty, Drain = new AgentDrain(DrainState.Draining, TenMinutes, true, b.Now) },
            draining.Agents[agent]);
        Assert.False(draining.Agents[agent].Offerable);
        Assert.False(draining.Offers.ContainsKey(offer.Id));
        Assert.Equal(kept, draining.Offers[kept.Id]);
        Assert.Same(before.Tasks[task], draining.Tasks[task]);
        var undrained = draining with { Agents = draining.Agents.SetItem(agent, draining.Agents[agent] with { Drain = null }) };
        Assert.NotEqual(StateHash.Compute(undrained), StateHash.Compute(draining));

        var drained = ClusterFold.Apply(draining, new AgentDrained(agent) { At = b.Now.AddSeconds(1), Principal = "scheduler" });
        Assert.Equal(draining.Agents[agent] with { Drain = new AgentDrain(DrainState.Drained, TenMinutes, true, b.Now) }, drained.Agents[agent]);
        Assert.NotEqual(StateHash.Compute(draining), StateHash.Compute(drained));

        var reactivated = ClusterFold.Apply(drained, new AgentReactivated(agent) { At = b.Now, Principal = "operator" });
        Assert.Equal(drained.Agents[agent] with { Deactivated = false, Drain = null }, reactivated.Agents[agent]);
    }
}
