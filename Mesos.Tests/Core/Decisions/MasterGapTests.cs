using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

/// <summary>
/// Master behaviours Mesos has that the first decisions lacked: removed frameworks shut down on re-registering
/// agents, one id per agent however often it retries, and frameworks given time to come back after an election.
/// </summary>
public sealed class MasterGapTests
{
    [Fact]
    public void Reregister_ReportingTasksOfARemovedFramework_ShutsThatFrameworkDownThere()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var removed = b.Subscribe(TestCluster.Framework("gone"));
        var alive = b.Subscribe(TestCluster.Framework("alive"));
        b.RunningTask(removed, agent, "orphan");
        b.RunningTask(alive, agent, "kept");
        b.Execute(new DisconnectAgent(agent) { Principal = "m1" });
        b.Execute(new TeardownFramework(removed) { Principal = "operator" });
        var reregister = new ReregisterAgent(agent, TestCluster.Agent("a1"), [
            new ReportedTask(removed, new TaskId("orphan"), TaskState.Running),
            new ReportedTask(alive, new TaskId("kept"), TaskState.Running),
            new ReportedTask(new FrameworkId("never-seen"), new TaskId("x"), TaskState.Running),
        ]) { Principal = "a1" };

        DecideSpec.When(b, reregister)
            .ThenEvents(new AgentReregistered(agent, TestCluster.Agent("a1")) { At = b.Now, Principal = "a1" });
        Assert.Equal([removed], ClusterDecider.FrameworksToShutDown(b.State, reregister));
    }

    [Fact]
    public void Reregister_ReportingOnlyKnownFrameworks_ShutsNothingDown()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");

        var reregister = new ReregisterAgent(agent, TestCluster.Agent("a1"), [new ReportedTask(framework, new TaskId("t1"), TaskState.Running)]) { Principal = "a1" };

        Assert.Empty(ClusterDecider.FrameworksToShutDown(b.State, reregister));
    }

    [Fact]
    public void Register_RetriedFromTheSameAddressBeforeTheReply_GetsTheSameAgentId()
    {
        var b = ClusterBuilder.WithMaster();
        var first = b.RegisterAgent("a1");

        DecideSpec.When(b, new RegisterAgent(TestCluster.Agent("a1")) { Principal = "a1" })
            .ThenEvents(new AgentReregistered(first, TestCluster.Agent("a1")) { At = b.Now, Principal = "a1" });
    }

    [Fact]
    public void Register_AnotherPortOnTheSameHost_IsAnotherAgent()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1");

        DecideSpec.When(b, new RegisterAgent(TestCluster.Agent("a1") with { Port = 5052 }) { Principal = "a1" })
            .ThenEvents(new AgentRegistered(new AgentId("m1-S1"), TestCluster.Agent("a1") with { Port = 5052 }) { At = b.Now, Principal = "a1" });
    }

    [Fact]
    public void Register_FromTheAddressOfADisconnectedAgent_IsANewAgent()
    {
        // As Mesos: the old agent at that address is gone (it lost its work dir, say); this one starts afresh.
        var b = ClusterBuilder.WithMaster();
        var old = b.RegisterAgent("a1");
        b.Execute(new DisconnectAgent(old) { Principal = "m1" });

        DecideSpec.When(b, new RegisterAgent(TestCluster.Agent("a1")) { Principal = "a1" })
            .ThenEvents(new AgentRegistered(new AgentId("m1-S1"), TestCluster.Agent("a1")) { At = b.Now, Principal = "a1" });
    }

    [Fact]
    public void ExpireFrameworks_AfterAMasterElection_GivesAFailoverTimeoutZeroFrameworkTheReregisterWindow()
    {
        var b = ClusterBuilder.WithMaster();
        var framework = b.Subscribe(TestCluster.Framework("batch", failoverTimeoutSeconds: 0));
        b.AdvanceSeconds(10);
        b.ElectMaster(TestCluster.Master2);
        var window = TimeSpan.FromSeconds(75);

        b.AdvanceSeconds(1);
        DecideSpec.When(b, new ExpireFrameworks(window) { Principal = "m2" }).ThenNothing();
        b.Advance(window - TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        DecideSpec.When(b, new ExpireFrameworks(window) { Principal = "m2" }).ThenNothing();
        b.Advance(TimeSpan.FromTicks(1));

        DecideSpec.When(b, new ExpireFrameworks(window) { Principal = "m2" })
            .ThenEvents(new FrameworkRemoved(framework, "failover timeout expired") { At = b.Now, Principal = "m2" });
    }

    [Fact]
    public void ExpireFrameworks_AfterAMasterElection_AFrameworkThatCameBackStays()
    {
        var b = ClusterBuilder.WithMaster();
        var framework = b.Subscribe(TestCluster.Framework("batch", failoverTimeoutSeconds: 0));
        b.AdvanceSeconds(10);
        b.ElectMaster(TestCluster.Master2);
        b.AdvanceSeconds(2);
        b.Execute(new SubscribeFramework(TestCluster.Framework("batch", failoverTimeoutSeconds: 0), framework) { Principal = "batch" });
        b.AdvanceSeconds(3600);

        DecideSpec.When(b, new ExpireFrameworks(TimeSpan.FromSeconds(75)) { Principal = "m2" }).ThenNothing();
    }

    [Fact]
    public void ExpireFrameworks_AfterAMasterElection_ALongerFailoverTimeoutStillCountsFromTheDisconnection()
    {
        var b = ClusterBuilder.WithMaster();
        var framework = b.Subscribe(TestCluster.Framework("service", failoverTimeoutSeconds: 600));
        b.AdvanceSeconds(10);
        b.ElectMaster(TestCluster.Master2);

        b.AdvanceSeconds(599);
        DecideSpec.When(b, new ExpireFrameworks(TimeSpan.FromSeconds(75)) { Principal = "m2" }).ThenNothing();
        b.AdvanceSeconds(1);

        DecideSpec.When(b, new ExpireFrameworks(TimeSpan.FromSeconds(75)) { Principal = "m2" })
            .ThenEvents(new FrameworkRemoved(framework, "failover timeout expired") { At = b.Now, Principal = "m2" });
    }

    [Fact]
    public void ExpireFrameworks_WithoutAWindow_UsesMesosTenMinuteAgentReregisterTimeout()
    {
        var b = ClusterBuilder.WithMaster();
        var framework = b.Subscribe(TestCluster.Framework("batch", failoverTimeoutSeconds: 0));
        b.AdvanceSeconds(10);
        b.ElectMaster(TestCluster.Master2);

        b.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        DecideSpec.When(b, new ExpireFrameworks() { Principal = "m2" }).ThenNothing();
        b.Advance(TimeSpan.FromTicks(1));

        DecideSpec.When(b, new ExpireFrameworks() { Principal = "m2" })
            .ThenEvents(new FrameworkRemoved(framework, "failover timeout expired") { At = b.Now, Principal = "m2" });
    }

    [Fact]
    public void ExpireFrameworks_ADisconnectionAfterTheElection_HasOnlyItsOwnFailoverTimeout()
    {
        var b = ClusterBuilder.WithMaster();
        b.AdvanceSeconds(10);
        b.ElectMaster(TestCluster.Master2);
        b.AdvanceSeconds(5);
        var framework = b.Subscribe(TestCluster.Framework("service", failoverTimeoutSeconds: 30));
        b.Execute(new DisconnectFramework(framework) { Principal = "m2" });
        b.AdvanceSeconds(30);

        DecideSpec.When(b, new ExpireFrameworks(TimeSpan.FromSeconds(75)) { Principal = "m2" })
            .ThenEvents(new FrameworkRemoved(framework, "failover timeout expired") { At = b.Now, Principal = "m2" });
    }
}
