using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Tests.Core.State;

public sealed class TaskFoldTests
{
    private static readonly ResourceSet OneTask = TestCluster.Res("cpus:1;mem:128");

    [Fact]
    [FoldsEvent(typeof(TaskLaunched))]
    public void Apply_TaskLaunched_AddsAStagingTaskAndMovesItsResourcesFromTheOfferToUsed()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var task = TestCluster.Task("t1", agent, "cpus:1;mem:128;ports:[31000-31000]");
        var key = new TaskKey(framework, task.TaskId);

        var after = ClusterFold.Apply(b.State, new TaskLaunched(framework, task, new ExecutorId("t1"), offer.Id) { At = b.Now, Principal = "f" });

        var record = after.Tasks[key];
        Assert.Equal(task, record.Info);
        Assert.Equal(new ExecutorId("t1"), record.ExecutorId);
        Assert.Equal("*", record.Role);
        Assert.Equal(TaskState.Staging, record.State);
        Assert.Equal(new TaskStatus(TaskState.Staging, null, string.Empty, StatusSource.Master, null, b.Now), Assert.Single(record.Statuses));
        Assert.Null(record.PendingUuid);
        Assert.Equal(b.Now, record.LaunchedAt);
        Assert.False(record.ResourcesReleased);
        Assert.False(record.KillRequested);

        var leftover = TestCluster.Res("cpus:3;mem:3968;disk:10000;ports:[31001-32000]");
        Assert.Equal(task.Resources, after.Agents[agent].Used);
        Assert.Equal(task.Resources, after.Frameworks[framework].Used);
        Assert.Equal(leftover, after.Offers[offer.Id].Resources);
        Assert.Equal(leftover, after.Agents[agent].Offered);
        Assert.Equal(leftover, after.Frameworks[framework].Offered);
        Assert.True(after.Agents[agent].Available.IsEmpty);
    }

    [Fact]
    [FoldsEvent(typeof(TaskLaunchedV2))]
    public void Apply_TaskLaunchedV2_FoldsExactlyAsVersion1_ItsDetailsStayOutOfTheState()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var task = TestCluster.Task("t1", agent, "cpus:1;mem:128;ports:[31000-31000]");
        var details = new TaskLaunchDetails(
            [new CommandUri("http://example.org/app.tgz", true, true, false, "app.tgz")],
            new HealthCheck(HealthCheckType.Command, 0, 1, 2, 3, 4, new CommandInfo("true", true, [], [], null), null, null),
            [new TaskLabel("k", "v")]);

        var v1 = ClusterFold.Apply(b.State, new TaskLaunched(framework, task, new ExecutorId("t1"), offer.Id) { At = b.Now, Principal = "f" });
        var v2 = ClusterFold.Apply(b.State, new TaskLaunchedV2(framework, task, new ExecutorId("t1"), offer.Id, details) { At = b.Now, Principal = "f" });

        Assert.Equal(StateHash.Canonical(v1), StateHash.Canonical(v2));
        Assert.Equal(task, v2.Tasks[new TaskKey(framework, task.TaskId)].Info);
        Assert.Equal(v1.Agents[agent], v2.Agents[agent]);
        Assert.Equal(v1.Offers[offer.Id], v2.Offers[offer.Id]);
    }

    [Fact]
    [FoldsEvent(typeof(TaskLaunched))]
    public void Apply_TaskLaunchedAfterItsOfferWasClosed_StillAddsTheTaskAsLogsInTheFirstOrderDid()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var task = TestCluster.Task("t1", agent);
        b.Append(new OfferAccepted(offer.Id, b.Now.AddSeconds(5)) { At = b.Now, Principal = "f" });

        var after = ClusterFold.Apply(b.State, new TaskLaunched(framework, task, new ExecutorId("t1"), offer.Id) { At = b.Now, Principal = "f" });

        Assert.Equal((TaskState.Staging, "*"), (after.Tasks[new TaskKey(framework, task.TaskId)].State, after.Tasks[new TaskKey(framework, task.TaskId)].Role));
        Assert.Equal(OneTask, after.Agents[agent].Used);
        Assert.True(after.Agents[agent].Offered.IsEmpty);
        Assert.Equal(new OfferFilter(offer.Resources, b.Now.AddSeconds(5)), after.Frameworks[framework].Filters[agent]);
    }

    [Fact]
    [FoldsEvent(typeof(TaskLaunched))]
    public void Apply_TaskLaunched_RecordsTheRoleItsOfferWasMadeFor()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus(eng):2;cpus:2;mem:1024");
        var framework = b.Subscribe(TestCluster.Framework(roles: ["eng"]));
        var offer = b.Allocate().Single();
        Assert.Equal("eng", offer.Role);

        var key = b.Launch(offer, "t1", "cpus(eng):1;mem:128");

        Assert.Equal("eng", b.State.Tasks[key].Role);
        Assert.Equal(TestCluster.Res("cpus(eng):1;mem:128"), b.State.Agents[agent].Used);
    }

    [Fact]
    [FoldsEvent(typeof(TaskStatusUpdated))]
    [FoldsEvent(typeof(TaskStatusAcknowledged))]
    public void Apply_RunningThenFinishedWithUuid_KeepsTheTaskUntilAcknowledgedThenCompletesItReleasingOnce()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var t1 = b.LaunchOn(framework, agent, "t1");
        var t2 = b.LaunchOn(framework, agent, "t2");

        var running = b.Update(t1, TaskState.Running);
        Assert.Equal((TaskState.Running, running), (b.State.Tasks[t1].State, b.State.Tasks[t1].PendingUuid));
        b.Ack(t1, running);
        Assert.Null(b.State.Tasks[t1].PendingUuid);
        Assert.Equal(OneTask + OneTask, b.State.Agents[agent].Used);

        var finished = b.Update(t1, TaskState.Finished);
        var task = b.State.Tasks[t1];
        Assert.Equal((TaskState.Finished, finished, true), (task.State, task.PendingUuid, task.ResourcesReleased));
        Assert.Equal(OneTask, b.State.Agents[agent].Used);
        Assert.Equal(OneTask, b.State.Frameworks[framework].Used);

        var after = ClusterFold.Apply(b.State, new TaskStatusAcknowledged(framework, t1.TaskId, agent, finished) { At = b.Now, Principal = "f" });

        Assert.False(after.Tasks.ContainsKey(t1));
        Assert.True(after.Tasks.ContainsKey(t2));
        var completed = Assert.Single(after.Frameworks[framework].CompletedTasks);
        Assert.Equal((t1, TaskState.Finished, (Guid?)null), (completed.Key, completed.State, completed.PendingUuid));
        Assert.Equal([TaskState.Staging, TaskState.Running, TaskState.Finished], completed.Statuses.Select(s => s.State));
        Assert.Equal(OneTask, after.Agents[agent].Used);
        Assert.Equal(OneTask, after.Frameworks[framework].Used);
    }

    [Fact]
    [FoldsEvent(typeof(TaskStatusUpdated))]
    public void Apply_TerminalUpdateWithoutUuid_CompletesTheTaskAtOnce()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var key = b.RunningTask(framework, agent, "t1");
        var lost = TestCluster.Status(TaskState.Lost, null, b.Now, StatusSource.Master, TaskReason.AgentRemoved);

        var after = ClusterFold.Apply(b.State, new TaskStatusUpdated(framework, key.TaskId, agent, lost) { At = b.Now, Principal = "m1" });

        Assert.Empty(after.Tasks);
        var completed = Assert.Single(after.Frameworks[framework].CompletedTasks);
        Assert.Equal((TaskState.Lost, true), (completed.State, completed.ResourcesReleased));
        Assert.Equal(lost, completed.Statuses[^1]);
        Assert.True(after.Agents[agent].Used.IsEmpty);
        Assert.True(after.Frameworks[framework].Used.IsEmpty);
    }

    [Fact]
    [FoldsEvent(typeof(TaskStatusUpdated))]
    [FoldsEvent(typeof(TaskStatusAcknowledged))]
    public void Apply_TerminalUpdateWithoutUuidWhileAnUpdateIsUnacknowledged_CompletesOnThatAcknowledgement()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var key = b.LaunchOn(framework, agent, "t1");
        var running = b.Update(key, TaskState.Running);
        var lost = TestCluster.Status(TaskState.Lost, null, b.Now, StatusSource.Master, TaskReason.AgentRemoved);

        var lostState = ClusterFold.Apply(b.State, new TaskStatusUpdated(framework, key.TaskId, agent, lost) { At = b.Now, Principal = "m1" });
        var acked = ClusterFold.Apply(lostState, new TaskStatusAcknowledged(framework, key.TaskId, agent, running) { At = b.Now, Principal = "f" });

        Assert.Equal((TaskState.Lost, running, true), (lostState.Tasks[key].State, lostState.Tasks[key].PendingUuid, lostState.Tasks[key].ResourcesReleased));
        Assert.True(lostState.Agents[agent].Used.IsEmpty);
        Assert.Empty(acked.Tasks);
        Assert.Equal(TaskState.Lost, Assert.Single(acked.Frameworks[framework].CompletedTasks).State);
        Assert.True(acked.Agents[agent].Used.IsEmpty);
    }

    [Fact]
    [FoldsEvent(typeof(TaskStatusUpdated))]
    public void Apply_UnreachableReleasesItsResourcesAndRunningAgainReacquiresThem()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe(TestCluster.Framework(capabilities: FrameworkCapability.PartitionAware));
        var key = b.RunningTask(framework, agent, "t1");
        var neighbour = b.RunningTask(framework, agent, "t2");
        var unreachable = TestCluster.Status(TaskState.Unreachable, null, b.Now, StatusSource.Master, TaskReason.AgentRemoved);
        var back = TestCluster.Status(TaskState.Running, null, b.Now.AddMinutes(5), StatusSource.Master, TaskReason.AgentReregistered);

        var partitioned = ClusterFold.Apply(b.State, new TaskStatusUpdated(framework, key.TaskId, agent, unreachable) { At = b.Now, Principal = "m1" });
        var partitionedTwice = ClusterFold.Apply(partitioned, new TaskStatusUpdated(framework, key.TaskId, agent, unreachable) { At = b.Now, Principal = "m1" });
        var returned = ClusterFold.Apply(partitionedTwice, new TaskStatusUpdated(framework, key.TaskId, agent, back) { At = b.Now.AddMinutes(5), Principal = "m1" });

        Assert.Equal((TaskState.Unreachable, true), (partitioned.Tasks[key].State, partitioned.Tasks[key].ResourcesReleased));
        Assert.Equal(OneTask, partitioned.Agents[agent].Used);
        Assert.Equal(OneTask, partitioned.Frameworks[framework].Used);
        Assert.Equal(OneTask, partitionedTwice.Agents[agent].Used);
        Assert.Equal((TaskState.Running, false), (returned.Tasks[key].State, returned.Tasks[key].ResourcesReleased));
        Assert.Equal(OneTask + OneTask, returned.Agents[agent].Used);
        Assert.Equal(OneTask + OneTask, returned.Frameworks[framework].Used);
        Assert.True(returned.Tasks.ContainsKey(neighbour));
    }

    [Fact]
    [FoldsEvent(typeof(TaskStatusUpdated))]
    public void Apply_TaskOnOneAgentFinishes_TheFrameworkStillUsesTheSamePortOnAnother()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var framework = b.Subscribe();
        var web = "cpus:1;mem:128;ports:[31000-31000]";
        var first = b.RunningTask(framework, a1, "web-1", web);
        b.RunningTask(framework, a2, "web-2", web);

        var after = ClusterFold.Apply(b.State, new TaskStatusUpdated(framework, first.TaskId, a1, TestCluster.Status(TaskState.Finished, TestCluster.Uuid(99), b.Now)) { At = b.Now, Principal = "a1" });

        var f = after.Frameworks[framework];
        Assert.False(f.UsedOn.ContainsKey(a1));
        Assert.Equal(TestCluster.Res(web), f.UsedOn[a2]);
        Assert.Equal(TestCluster.Res(web), f.Used);
        Assert.True(after.Agents[a1].Used.IsEmpty);
    }

    [Fact]
    [FoldsEvent(typeof(TaskStatusUpdated))]
    public void Apply_UpdateAfterTerminal_IsKeptInHistoryButDoesNotMoveTheTaskOrItsResources()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var key = b.RunningTask(framework, agent, "t1");
        b.RunningTask(framework, agent, "t2");
        b.Update(key, TaskState.Finished);
        var late = TestCluster.Status(TaskState.Running, TestCluster.Uuid(999), b.Now);

        var after = ClusterFold.Apply(b.State, new TaskStatusUpdated(framework, key.TaskId, agent, late) { At = b.Now, Principal = "a1" });

        Assert.Equal(TaskState.Finished, after.Tasks[key].State);
        Assert.Equal(late, after.Tasks[key].Statuses[^1]);
        Assert.True(after.Tasks[key].ResourcesReleased);
        Assert.Equal(OneTask, after.Agents[agent].Used);
    }

    [Fact]
    [FoldsEvent(typeof(TaskStatusUpdated))]
    public void Apply_TaskStatusUpdated_UnknownTask_LeavesStateAsItIs()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");
        var before = b.State;

        var after = ClusterFold.Apply(before, new TaskStatusUpdated(framework, new TaskId("nope"), agent, TestCluster.Status(TaskState.Running, TestCluster.Uuid(7), b.Now)) { At = b.Now, Principal = "a1" });

        StateAssert.Equal(before, after);
    }

    [Fact]
    [FoldsEvent(typeof(TaskStatusAcknowledged))]
    public void Apply_TaskStatusAcknowledged_OtherUuid_LeavesStateAsItIs()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var key = b.LaunchOn(framework, agent, "t1");
        b.Update(key, TaskState.Finished);
        var before = b.State;

        var after = ClusterFold.Apply(before, new TaskStatusAcknowledged(framework, key.TaskId, agent, TestCluster.Uuid(999)) { At = b.Now, Principal = "f" });

        StateAssert.Equal(before, after);
        Assert.True(after.Tasks.ContainsKey(key));
    }

    [Fact]
    [FoldsEvent(typeof(TaskKillRequested))]
    public void Apply_TaskKillRequested_OnlyMarksTheTask()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var key = b.RunningTask(framework, agent, "t1");
        var before = b.State;

        var after = ClusterFold.Apply(before, new TaskKillRequested(framework, key.TaskId, agent, TimeSpan.FromSeconds(3)) { At = b.Now, Principal = "f" });

        Assert.Equal(before.Tasks[key] with { KillRequested = true }, after.Tasks[key]);
        Assert.Same(before.Agents, after.Agents);
        Assert.Same(before.Frameworks, after.Frameworks);
    }

    [Fact]
    public void Apply_CompletedTasks_KeepsOnlyTheLast1000PerFramework()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        for (var i = 0; i <= ClusterState.MaxCompletedTasksPerFramework; i++)
        {
            var task = TestCluster.Task($"t{i}", agent);
            b.Append(
                new TaskLaunched(framework, task, new ExecutorId(task.TaskId.Value), new OfferId("none")) { At = b.Now, Principal = "f" },
                new TaskStatusUpdated(framework, task.TaskId, agent, TestCluster.Status(TaskState.Failed, null, b.Now, StatusSource.Agent)) { At = b.Now, Principal = "a1" });
        }

        var completed = b.State.Frameworks[framework].CompletedTasks;
        Assert.Equal(ClusterState.MaxCompletedTasksPerFramework, completed.Count);
        Assert.Equal("t1", completed[0].Key.TaskId.Value);
        Assert.True(b.State.Agents[agent].Used.IsEmpty);
    }
}
