using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

public sealed class TaskDecisionTests
{
    [Fact]
    public void Kill_UnknownTask_IsNotFound()
    {
        var b = ClusterBuilder.WithMaster();
        var framework = b.Subscribe();

        DecideSpec.When(b, new KillTask(framework, new TaskId("ghost"), null) { Principal = "f" })
            .ThenError(DecideErrorKind.NotFound, "ghost");
    }

    [Fact]
    public void Kill_RunningTask_RequestsTheKillWithTheGracePeriodAsked()
    {
        var (b, agent, framework, key) = RunningTask();

        DecideSpec.When(b, new KillTask(framework, key.TaskId, TimeSpan.FromSeconds(10)) { Principal = "f" })
            .ThenEvents(new TaskKillRequested(framework, key.TaskId, agent, TimeSpan.FromSeconds(10)) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Kill_WithoutGracePeriod_UsesTheTasksOwn()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var task = TestCluster.Task("t1", agent, killGracePeriod: TimeSpan.FromSeconds(30));
        b.Execute(new AcceptOffers(framework, [offer.Id], [task], null) { Principal = "f" });

        DecideSpec.When(b, new KillTask(framework, task.TaskId, null) { Principal = "f" })
            .ThenEvents(new TaskKillRequested(framework, task.TaskId, agent, TimeSpan.FromSeconds(30)) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Kill_TerminalTaskAwaitingItsAcknowledgement_DoesNothing()
    {
        var (b, _, framework, key) = RunningTask();
        b.Update(key, TaskState.Finished);

        DecideSpec.When(b, new KillTask(framework, key.TaskId, null) { Principal = "f" }).ThenNothing();
    }

    [Fact]
    public void Kill_CompletedTask_DoesNothing()
    {
        var (b, _, framework, key) = RunningTask();
        b.UpdateAndAck(key, TaskState.Finished);

        DecideSpec.When(b, new KillTask(framework, key.TaskId, null) { Principal = "f" }).ThenNothing();
    }

    [Fact]
    public void Update_WithUuid_IsRecordedAsItCame()
    {
        var (b, agent, framework, key) = RunningTask();
        var status = TestCluster.Status(TaskState.Finished, TestCluster.Uuid(100), b.Now);

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, status) { Principal = "a1" })
            .ThenEvents(new TaskStatusUpdated(framework, key.TaskId, agent, status) { At = b.Now, Principal = "a1" });
    }

    [Fact]
    public void Update_SameNonTerminalStateAgain_IsRecorded()
    {
        var (b, agent, framework, key) = RunningTask();
        var health = TestCluster.Status(TaskState.Running, TestCluster.Uuid(100), b.Now) with { Healthy = false };

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, health) { Principal = "a1" })
            .ThenEvents(new TaskStatusUpdated(framework, key.TaskId, agent, health) { At = b.Now, Principal = "a1" });
    }

    [Fact]
    public void Update_WithoutUuid_IsRefused()
    {
        var (b, agent, framework, key) = RunningTask();

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, TestCluster.Status(TaskState.Finished, null, b.Now)) { Principal = "a1" })
            .ThenError(DecideErrorKind.InvalidArgument, "uuid");
    }

    [Fact]
    public void Update_WithAUuidAlreadyRecorded_IsAlreadyApplied()
    {
        var (b, agent, framework, key) = RunningTask();
        var uuid = b.Update(key, TaskState.Finished);

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, TestCluster.Status(TaskState.Finished, uuid, b.Now)) { Principal = "a1" })
            .ThenError(DecideErrorKind.AlreadyApplied, uuid.ToString());
    }

    [Fact]
    public void Update_RetriedAfterTheTaskCompleted_IsAlreadyApplied()
    {
        var (b, agent, framework, key) = RunningTask();
        var uuid = b.Update(key, TaskState.Finished);
        b.Ack(key, uuid);

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, TestCluster.Status(TaskState.Finished, uuid, b.Now)) { Principal = "a1" })
            .ThenError(DecideErrorKind.AlreadyApplied, uuid.ToString());
    }

    [Fact]
    public void Update_FromAnotherAgent_IsRefused()
    {
        var (b, _, framework, key) = RunningTask();
        var other = b.RegisterAgent("a2");

        DecideSpec.When(b, new UpdateTaskStatus(other, framework, key.TaskId, TestCluster.Status(TaskState.Finished, b.NewUuid(), b.Now)) { Principal = "a2" })
            .ThenError(DecideErrorKind.PermissionDenied, other.Value);
    }

    [Fact]
    public void Update_OfAnUnknownTask_IsNotFound()
    {
        var (b, agent, framework, _) = RunningTask();

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, new TaskId("ghost"), TestCluster.Status(TaskState.Running, b.NewUuid(), b.Now)) { Principal = "a1" })
            .ThenError(DecideErrorKind.NotFound, "ghost");
    }

    [Theory]
    [InlineData(TaskState.Unreachable, StatusSource.Agent)]
    [InlineData(TaskState.GoneByOperator, StatusSource.Executor)]
    [InlineData(TaskState.Error, StatusSource.Agent)]
    [InlineData(TaskState.Staging, StatusSource.Master)]
    [InlineData(TaskState.Unknown, StatusSource.Master)]
    public void Update_StateThatSourceCannotReport_IsRefused(TaskState state, StatusSource source)
    {
        var (b, agent, framework, key) = RunningTask();

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, TestCluster.Status(state, b.NewUuid(), b.Now, source)) { Principal = "a1" })
            .ThenError(DecideErrorKind.FailedPrecondition);
    }

    [Theory]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Unreachable)]
    [InlineData(TaskState.Lost)]
    public void Update_InTheMastersName_IsRefused(TaskState state)
    {
        var (b, agent, framework, key) = RunningTask();

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, TestCluster.Status(state, b.NewUuid(), b.Now, StatusSource.Master)) { Principal = "a1" })
            .ThenError(DecideErrorKind.FailedPrecondition, "master");
    }

    [Fact]
    public void Update_FromAnAgentTheMasterMarkedUnreachable_IsRefusedUntilItReregisters()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe(TestCluster.Framework(capabilities: FrameworkCapability.PartitionAware));
        var key = b.RunningTask(framework, agent, "t1");
        b.AdvanceSeconds(75);
        b.Execute(new CheckAgentHealth(TimeSpan.FromSeconds(75)) { Principal = "m1" });

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, TestCluster.Status(TaskState.Running, b.NewUuid(), b.Now)) { Principal = "a1" })
            .ThenError(DecideErrorKind.FailedPrecondition, agent.Value);
    }

    [Fact]
    public void Update_BringingBackATaskTheMasterDeclaredLost_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var key = b.LaunchOn(framework, agent, "t1");
        b.Update(key, TaskState.Running);
        b.Execute(new ReregisterAgent(agent, TestCluster.Agent(), []) { Principal = "a1" });
        Assert.Equal(TaskState.Lost, b.State.Tasks[key].State);
        b.Allocate();

        DecideSpec.When(b, new UpdateTaskStatus(agent, framework, key.TaskId, TestCluster.Status(TaskState.Running, b.NewUuid(), b.Now)) { Principal = "a1" })
            .ThenError(DecideErrorKind.FailedPrecondition, "t1");
    }

    [Fact]
    public void Acknowledge_PendingUuid_IsRecorded()
    {
        var (b, agent, framework, key) = RunningTask();
        var uuid = b.Update(key, TaskState.Finished);

        DecideSpec.When(b, new AcknowledgeStatus(framework, agent, key.TaskId, uuid) { Principal = "f" })
            .ThenEvents(new TaskStatusAcknowledged(framework, key.TaskId, agent, uuid) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Acknowledge_UuidTheTaskNeverHad_IsRefused()
    {
        var (b, agent, framework, key) = RunningTask();

        DecideSpec.When(b, new AcknowledgeStatus(framework, agent, key.TaskId, TestCluster.Uuid(999)) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, TestCluster.Uuid(999).ToString());
    }

    [Fact]
    public void Acknowledge_AlreadyAcknowledged_DoesNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var key = b.LaunchOn(framework, agent, "t1");
        var running = b.Update(key, TaskState.Running);
        b.Ack(key, running);

        DecideSpec.When(b, new AcknowledgeStatus(framework, agent, key.TaskId, running) { Principal = "f" }).ThenNothing();
    }

    [Fact]
    public void Acknowledge_OfACompletedTask_DoesNothing()
    {
        var (b, agent, framework, key) = RunningTask();
        var uuid = b.Update(key, TaskState.Finished);
        b.Ack(key, uuid);

        DecideSpec.When(b, new AcknowledgeStatus(framework, agent, key.TaskId, uuid) { Principal = "f" }).ThenNothing();
    }

    [Fact]
    public void Acknowledge_UnknownTask_IsNotFound()
    {
        var (b, agent, framework, _) = RunningTask();

        DecideSpec.When(b, new AcknowledgeStatus(framework, agent, new TaskId("ghost"), TestCluster.Uuid(1)) { Principal = "f" })
            .ThenError(DecideErrorKind.NotFound, "ghost");
    }

    private static (ClusterBuilder Builder, AgentId Agent, FrameworkId Framework, TaskKey Task) RunningTask()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        var key = b.RunningTask(framework, agent, "t1");
        return (b, agent, framework, key);
    }
}
