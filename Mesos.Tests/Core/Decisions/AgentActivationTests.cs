using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;
using Mesos.Tests.Core.State;

namespace Mesos.Tests.Core.Decisions;

/// <summary>DEACTIVATE_AGENT / REACTIVATE_AGENT: given events, when the operator's command, then events or an error; and their fold.</summary>
public sealed class AgentActivationTests
{
    [Fact]
    public void Deactivate_AnActiveAgent_RecordsItsDeactivation()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");

        DecideSpec.When(b, new DeactivateAgent(agent) { Principal = "operator" })
            .ThenEvents(new AgentDeactivated(agent) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void Deactivate_ADeactivatedAgent_AppendsNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        b.Append(new AgentDeactivated(agent) { At = b.Now, Principal = "operator" });

        DecideSpec.When(b, new DeactivateAgent(agent) { Principal = "operator" }).ThenNothing();
    }

    [Fact]
    public void Reactivate_ADeactivatedAgent_RecordsItsReactivation_AndAnActiveOneAppendsNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        DecideSpec.When(b, new ReactivateAgent(agent) { Principal = "operator" }).ThenNothing();
        b.Append(new AgentDeactivated(agent) { At = b.Now, Principal = "operator" });

        DecideSpec.When(b, new ReactivateAgent(agent) { Principal = "operator" })
            .ThenEvents(new AgentReactivated(agent) { At = b.Now, Principal = "operator" });
    }

    [Theory]
    [InlineData("deactivate")]
    [InlineData("reactivate")]
    public void AnUnknownAgent_IsNotFound_AndARemovedOneCannotChange(string call)
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        MasterCommand Command(AgentId id) => call == "deactivate"
            ? new DeactivateAgent(id) { Principal = "operator" }
            : new ReactivateAgent(id) { Principal = "operator" };

        DecideSpec.When(b, Command(new AgentId("m1-S99"))).ThenError(DecideErrorKind.NotFound, "m1-S99");
        b.Append(new AgentRemoved(agent, "decommissioned") { At = b.Now, Principal = "operator" });
        DecideSpec.When(b, Command(agent)).ThenError(DecideErrorKind.FailedPrecondition, "removed");
    }

    [Fact]
    [FoldsEvent(typeof(AgentDeactivated))]
    [FoldsEvent(typeof(AgentReactivated))]
    public void Apply_Deactivated_RescindsItsOffersAndKeepsItsTasks_ThenReactivatedIsOfferable()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var other = b.RegisterAgent("a2");
        var framework = b.Subscribe();
        var task = b.RunningTask(framework, agent, "t1");
        b.Allocate();
        var offer = b.Offer(framework, agent);
        var kept = b.Offer(framework, other);
        var before = b.State;

        var deactivated = ClusterFold.Apply(before, new AgentDeactivated(agent) { At = b.Now, Principal = "operator" });

        Assert.Equal(before.Agents[agent] with { Deactivated = true, Offered = ResourceSet.Empty }, deactivated.Agents[agent]);
        Assert.False(deactivated.Agents[agent].Offerable);
        Assert.Equal(AgentStatus.Active, deactivated.Agents[agent].Status);
        Assert.False(deactivated.Offers.ContainsKey(offer.Id));
        Assert.Equal(kept, deactivated.Offers[kept.Id]);
        Assert.Same(before.Tasks[task], deactivated.Tasks[task]);
        var forgotten = deactivated with { Agents = deactivated.Agents.SetItem(agent, deactivated.Agents[agent] with { Deactivated = false }) };
        Assert.NotEqual(StateHash.Compute(forgotten), StateHash.Compute(deactivated));

        var reactivated = ClusterFold.Apply(deactivated, new AgentReactivated(agent) { At = b.Now, Principal = "operator" });

        Assert.True(reactivated.Agents[agent].Offerable);
        Assert.Equal(deactivated.Agents[agent] with { Deactivated = false }, reactivated.Agents[agent]);
    }

    [Fact]
    public void Allocation_SkipsADeactivatedAgent_AndOffersItAgainOnceReactivated()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        b.Subscribe();
        b.Execute(new DeactivateAgent(agent) { Principal = "operator" });

        Assert.Empty(b.Allocate());
        Assert.Equal(AgentStatus.Active, b.State.Agents[agent].Status);

        b.Execute(new ReactivateAgent(agent) { Principal = "operator" });
        Assert.Contains(b.Allocate(), o => o.AgentId == agent);
    }
}
