using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Tests.Core.Decisions;

public sealed class AgentDecisionTests
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(75);

    [Fact]
    public void Register_BeforeAnyMasterIsElected_IsRefused()
    {
        DecideSpec.When([], new RegisterAgent(TestCluster.Agent()) { Principal = "a1" }, TestCluster.T0)
            .ThenError(DecideErrorKind.FailedPrecondition, "master");
    }

    [Fact]
    public void Register_MintsTheIdFromTheMasterIdAndTheAgentNumber()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1");

        DecideSpec.When(b, new RegisterAgent(TestCluster.Agent("a2")) { Principal = "a2" })
            .ThenEvents(new AgentRegistered(new AgentId("m1-S1"), TestCluster.Agent("a2")) { At = b.Now, Principal = "a2" });
    }

    [Fact]
    public void Register_AfterAFailover_UsesTheNewMasterIdAndKeepsCounting()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1");
        b.ElectMaster(TestCluster.Master2);

        DecideSpec.When(b, new RegisterAgent(TestCluster.Agent("a2")) { Principal = "a2" })
            .ThenEvents(new AgentRegistered(new AgentId("m2-S1"), TestCluster.Agent("a2")) { At = b.Now, Principal = "a2" });
    }

    [Fact]
    public void Register_AgentWithoutResources_IsRefused()
    {
        DecideSpec.When(ClusterBuilder.WithMaster(), new RegisterAgent(TestCluster.Agent("a1", string.Empty)) { Principal = "a1" })
            .ThenError(DecideErrorKind.InvalidArgument, "resources");
    }

    [Fact]
    public void Reregister_TasksTheAgentDoesNotReport_AreLostWithReasonReconciliationOrDroppedIfPartitionAware()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var legacy = b.Subscribe(TestCluster.Framework("legacy"));
        var aware = b.Subscribe(TestCluster.Framework("aware", capabilities: FrameworkCapability.PartitionAware));
        var kept = b.RunningTask(legacy, agent, "kept");
        var forgotten = b.RunningTask(legacy, agent, "forgotten");
        var dropped = b.RunningTask(aware, agent, "dropped");
        var finished = b.RunningTask(legacy, agent, "finished");
        b.Update(finished, TaskState.Finished);
        b.AdvanceSeconds(30);

        DecideSpec.When(b, new ReregisterAgent(agent, TestCluster.Agent(), [new ReportedTask(legacy, kept.TaskId, TaskState.Running)]) { Principal = "a1" })
            .ThenEvents(
                new AgentReregistered(agent, TestCluster.Agent()) { At = b.Now, Principal = "a1" },
                new TaskStatusUpdated(legacy, forgotten.TaskId, agent, Unknown(TaskState.Lost, b.Now)) { At = b.Now, Principal = "a1" },
                new TaskStatusUpdated(aware, dropped.TaskId, agent, Unknown(TaskState.Dropped, b.Now)) { At = b.Now, Principal = "a1" });
    }

    [Fact]
    public void Reregister_ReportingEveryTask_OnlyReregisters()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var task = b.RunningTask(framework, agent, "t1");

        DecideSpec.When(b, new ReregisterAgent(agent, TestCluster.Agent(), [new ReportedTask(framework, task.TaskId, TaskState.Running)]) { Principal = "a1" })
            .ThenEvents(new AgentReregistered(agent, TestCluster.Agent()) { At = b.Now, Principal = "a1" });
    }

    [Fact]
    public void Reregister_RemovedAgent_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        b.Append(new AgentRemoved(agent, "decommissioned") { At = b.Now, Principal = TestCluster.Operator });

        DecideSpec.When(b, new ReregisterAgent(agent, TestCluster.Agent(), []) { Principal = "a1" })
            .ThenError(DecideErrorKind.FailedPrecondition, agent.Value);
    }

    [Fact]
    public void Reregister_AfterAPartition_TasksTheAgentReportsComeBackRunning()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var legacy = b.Subscribe(TestCluster.Framework("legacy"));
        var aware = b.Subscribe(TestCluster.Framework("aware", capabilities: FrameworkCapability.PartitionAware));
        var lost = b.LaunchOn(legacy, agent, "lost");
        b.Update(lost, TaskState.Running);
        var unreachable = b.RunningTask(aware, agent, "unreachable");
        b.AdvanceSeconds(80);
        b.Execute(new CheckAgentHealth(PingTimeout) { Principal = "m1" });
        Assert.Equal(TaskState.Lost, b.State.Tasks[lost].State);
        Assert.Equal(TaskState.Unreachable, b.State.Tasks[unreachable].State);
        b.AdvanceSeconds(600);
        var reported = new[] { new ReportedTask(legacy, lost.TaskId, TaskState.Running), new ReportedTask(aware, unreachable.TaskId, TaskState.Running) };

        DecideSpec.When(b, new ReregisterAgent(agent, TestCluster.Agent(), [.. reported]) { Principal = "a1" })
            .ThenEvents(
                new AgentReregistered(agent, TestCluster.Agent()) { At = b.Now, Principal = "a1" },
                new TaskStatusUpdated(legacy, lost.TaskId, agent, Back(b.Now)) { At = b.Now, Principal = "a1" },
                new TaskStatusUpdated(aware, unreachable.TaskId, agent, Back(b.Now)) { At = b.Now, Principal = "a1" });

        b.Reregister(agent, reported);
        Assert.Equal(TestCluster.Res("cpus:2;mem:256"), b.State.Agents[agent].Used);
    }

    public static TheoryData<string> NotActive => ["unknown", "disconnected", "unreachable", "removed"];

    [Theory]
    [MemberData(nameof(NotActive))]
    public void Heartbeat_OfAnAgentThatIsNotActive_IsRefusedSoItReregisters(string status)
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var target = status == "unknown" ? new AgentId("m1-S9") : agent;
        switch (status)
        {
            case "disconnected":
                b.Execute(new DisconnectAgent(agent) { Principal = "m1" });
                break;
            case "unreachable":
                b.Append(new AgentMarkedUnreachable(agent) { At = b.Now, Principal = "m1" });
                break;
            case "removed":
                b.Append(new AgentRemoved(agent, "gone") { At = b.Now, Principal = TestCluster.Operator });
                break;
        }

        DecideSpec.When(b, new RecordAgentHeartbeat(target) { Principal = "a1" })
            .ThenError(DecideErrorKind.NotFound, target.Value, "re-register");
    }

    [Fact]
    public void Heartbeat_OfAnActiveAgent_IsRecorded()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        b.AdvanceSeconds(15);

        DecideSpec.When(b, new RecordAgentHeartbeat(agent) { Principal = "a1" })
            .ThenEvents(new AgentHeartbeatReceived(agent) { At = b.Now, Principal = "a1" });
    }

    [Fact]
    public void Disconnect_ActiveAgent_DisconnectsIt()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();

        DecideSpec.When(b, new DisconnectAgent(agent) { Principal = "m1" })
            .ThenEvents(new AgentDisconnected(agent) { At = b.Now, Principal = "m1" });
    }

    [Fact]
    public void Disconnect_AgentAlreadyDisconnectedOrUnknown_DoesNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        b.Execute(new DisconnectAgent(agent) { Principal = "m1" });

        DecideSpec.When(b, new DisconnectAgent(agent) { Principal = "m1" }).ThenNothing();
        DecideSpec.When(b, new DisconnectAgent(new AgentId("m1-S9")) { Principal = "m1" }).ThenNothing();
    }

    [Fact]
    public void CheckAgentHealth_SilentAgent_IsMarkedUnreachableAndItsTasksLostOrUnreachableIfPartitionAware()
    {
        var b = ClusterBuilder.WithMaster();
        var silent = b.RegisterAgent("a1");
        var alive = b.RegisterAgent("a2");
        var legacy = b.Subscribe(TestCluster.Framework("legacy"));
        var aware = b.Subscribe(TestCluster.Framework("aware", capabilities: FrameworkCapability.PartitionAware));
        var lost = b.RunningTask(legacy, silent, "lost");
        var finished = b.RunningTask(legacy, silent, "finished");
        b.Update(finished, TaskState.Finished);
        b.RunningTask(legacy, alive, "elsewhere");
        var unreachable = b.RunningTask(aware, silent, "unreachable");
        b.AdvanceSeconds(76);
        b.Execute(new RecordAgentHeartbeat(alive) { Principal = "a2" });
        var message = "Agent a1 is unreachable: no heartbeat for 76s";

        DecideSpec.When(b, new CheckAgentHealth(PingTimeout) { Principal = "m1" })
            .ThenEvents(
                new AgentMarkedUnreachable(silent) { At = b.Now, Principal = "m1" },
                new TaskStatusUpdated(legacy, lost.TaskId, silent, new TaskStatus(TaskState.Lost, TaskReason.AgentRemoved, message, StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "m1" },
                new TaskStatusUpdated(aware, unreachable.TaskId, silent, new TaskStatus(TaskState.Unreachable, TaskReason.AgentRemoved, message, StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "m1" });
    }

    [Fact]
    public void CheckAgentHealth_AgentSeenWithinTheTimeout_IsLeftAlone()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        b.Advance(PingTimeout - TimeSpan.FromMilliseconds(1));

        DecideSpec.When(b, new CheckAgentHealth(PingTimeout) { Principal = "m1" }).ThenNothing();
    }

    [Fact]
    public void CheckAgentHealth_DisconnectedAgentSilentForTheTimeout_IsMarkedUnreachable()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        b.Execute(new DisconnectAgent(agent) { Principal = "m1" });
        b.Advance(PingTimeout);

        DecideSpec.When(b, new CheckAgentHealth(PingTimeout) { Principal = "m1" })
            .ThenEvents(new AgentMarkedUnreachable(agent) { At = b.Now, Principal = "m1" });
    }

    [Fact]
    public void CheckAgentHealth_UnreachableAgent_IsNotMarkedAgain()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        b.Advance(PingTimeout);
        b.Execute(new CheckAgentHealth(PingTimeout) { Principal = "m1" });
        b.Advance(PingTimeout);

        DecideSpec.When(b, new CheckAgentHealth(PingTimeout) { Principal = "m1" }).ThenNothing();
    }

    [Fact]
    public void CheckAgentHealth_AfterAMasterElection_AgentsGetAFullPingWindow()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        b.AdvanceSeconds(70);
        b.ElectMaster(TestCluster.Master2);
        b.AdvanceSeconds(70);

        DecideSpec.When(b, new CheckAgentHealth(PingTimeout) { Principal = "m2" }).ThenNothing();
    }

    [Fact]
    public void CheckAgentHealth_AfterAFailover_ARecoveredAgentHasTheReregisterTimeout_ThenItsTasksAreLostOrUnreachable()
    {
        var reregisterTimeout = TimeSpan.FromMinutes(10);
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var legacy = b.Subscribe(TestCluster.Framework("legacy"));
        var aware = b.Subscribe(TestCluster.Framework("aware", capabilities: FrameworkCapability.PartitionAware));
        var lost = b.RunningTask(legacy, agent, "lost");
        var unreachable = b.RunningTask(aware, agent, "unreachable");
        b.AdvanceSeconds(10);
        b.ElectMaster(TestCluster.Master2);
        var electedAt = b.Now;
        CheckAgentHealth Check() => new(PingTimeout) { Principal = "m2", ElectedAt = electedAt, ReregisterTimeout = reregisterTimeout };

        // Far past the ping window, but nothing pings a recovered agent: it has until the re-registration deadline.
        b.Advance(reregisterTimeout - TimeSpan.FromMilliseconds(1));
        DecideSpec.When(b, Check()).ThenNothing();

        b.Advance(TimeSpan.FromMilliseconds(1));
        var message = "Agent a1 did not re-register within 600s after master failover";
        DecideSpec.When(b, Check())
            .ThenEvents(
                new AgentMarkedUnreachable(agent) { At = b.Now, Principal = "m2" },
                new TaskStatusUpdated(legacy, lost.TaskId, agent, new TaskStatus(TaskState.Lost, TaskReason.AgentRemoved, message, StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "m2" },
                new TaskStatusUpdated(aware, unreachable.TaskId, agent, new TaskStatus(TaskState.Unreachable, TaskReason.AgentRemoved, message, StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "m2" });
    }

    [Fact]
    public void CheckAgentHealth_AnAgentThatReregisteredWithTheNewMaster_IsHeldToThePingTimeoutAgain()
    {
        var b = ClusterBuilder.WithMaster();
        var back = b.RegisterAgent("a1");
        var recovered = b.RegisterAgent("a2");
        b.AdvanceSeconds(10);
        b.ElectMaster(TestCluster.Master2);
        var electedAt = b.Now;
        b.AdvanceSeconds(1);
        b.Reregister(back);
        b.Advance(PingTimeout);

        DecideSpec.When(b, new CheckAgentHealth(PingTimeout) { Principal = "m2", ElectedAt = electedAt, ReregisterTimeout = TimeSpan.FromMinutes(10) })
            .ThenEvents(new AgentMarkedUnreachable(back) { At = b.Now, Principal = "m2" });
        Assert.Equal(AgentStatus.Disconnected, b.State.Agents[recovered].Status);
    }

    [Fact]
    public void CheckAgentHealth_AnAgentDisconnectedBeforeTheFailover_IsRecoveredToo()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        b.Execute(new DisconnectAgent(agent) { Principal = "m1" });
        b.AdvanceSeconds(70);
        b.ElectMaster(TestCluster.Master2);
        var electedAt = b.Now;
        b.AdvanceSeconds(30);

        DecideSpec.When(b, new CheckAgentHealth(PingTimeout) { Principal = "m2", ElectedAt = electedAt, ReregisterTimeout = TimeSpan.FromMinutes(10) }).ThenNothing();
    }

    private static TaskStatus Unknown(TaskState state, DateTimeOffset at) =>
        new(state, TaskReason.Reconciliation, "Task is unknown to the agent", StatusSource.Master, null, at);

    private static TaskStatus Back(DateTimeOffset at) =>
        new(TaskState.Running, TaskReason.AgentReregistered, "Agent re-registered", StatusSource.Master, null, at);
}
