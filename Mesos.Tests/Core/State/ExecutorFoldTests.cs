using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class ExecutorFoldTests
{
    private static ExecutorInfo Executor(string id = "x1", string resources = "cpus:0.5;mem:64") =>
        new(new ExecutorId(id), "custom", new CommandInfo("./executor", true, [], [], null), TestCluster.Res(resources), null);

    [Fact]
    [FoldsEvent(typeof(TaskLaunchedOnExecutor))]
    public void Apply_TaskLaunchedOnExecutor_TakesTheExecutorsResourcesOnceBesideEachTasks()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var first = TestCluster.Task("t1", agent, "cpus:1;mem:128") with { Command = null };
        var second = TestCluster.Task("t2", agent, "cpus:1;mem:128") with { Command = null };

        var after = ClusterFold.ApplyAll(b.State, [
            new TaskLaunchedOnExecutor(framework, first, Executor(), offer.Id) { At = b.Now, Principal = "f" },
            new TaskLaunchedOnExecutor(framework, second, Executor(), offer.Id) { At = b.Now, Principal = "f" },
        ]);

        var key = new ExecutorKey(framework, agent, new ExecutorId("x1"));
        var executor = Assert.Single(after.Executors.Values);
        Assert.Equal(key, executor.Key);
        Assert.Equal(Executor(), executor.Info);
        Assert.Equal("*", executor.Role);
        Assert.Equal(new ExecutorId("x1"), after.Tasks[new TaskKey(framework, first.TaskId)].ExecutorId);
        Assert.Equal(new ExecutorId("x1"), after.Tasks[new TaskKey(framework, second.TaskId)].ExecutorId);

        var used = TestCluster.Res("cpus:2.5;mem:320");
        Assert.Equal(used, after.Agents[agent].Used);
        Assert.Equal(used, after.Frameworks[framework].Used);
        Assert.Equal(offer.Resources - used, after.Offers[offer.Id].Resources);
        Assert.Equal(offer.Resources - used, after.Agents[agent].Offered);
    }

    [Fact]
    [FoldsEvent(typeof(ExecutorShutdownRequested))]
    public void Apply_ExecutorShutdownRequested_ChangesNothingUntilTheAgentReportsTheEnd()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var task = TestCluster.Task("t1", agent, "cpus:1;mem:128") with { Command = null };
        b.Append(new TaskLaunchedOnExecutor(framework, task, Executor(), offer.Id) { At = b.Now, Principal = "f" });

        var after = ClusterFold.Apply(b.State, new ExecutorShutdownRequested(framework, agent, new ExecutorId("x1")) { At = b.Now, Principal = "f" });

        StateAssert.Equal(b.State, after);
        Assert.Single(after.Executors);
    }

    [Fact]
    [FoldsEvent(typeof(ExecutorTerminated))]
    public void Apply_ExecutorTerminated_GivesBackOnlyTheExecutorsOwnResources()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var task = TestCluster.Task("t1", agent, "cpus:1;mem:128") with { Command = null };
        b.Append(new TaskLaunchedOnExecutor(framework, task, Executor(), offer.Id) { At = b.Now, Principal = "f" });

        var after = ClusterFold.Apply(b.State, new ExecutorTerminated(framework, agent, new ExecutorId("x1"), 0) { At = b.Now, Principal = "agent" });

        Assert.Empty(after.Executors);
        Assert.Equal(task.Resources, after.Agents[agent].Used);
        Assert.Equal(task.Resources, after.Frameworks[framework].Used);
    }

    [Fact]
    [FoldsEvent(typeof(FrameworkRemoved))]
    public void Apply_FrameworkRemoved_ShutsItsExecutorsDownAndFreesTheirResources()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        b.Append(new TaskLaunchedOnExecutor(framework, TestCluster.Task("t1", agent) with { Command = null }, Executor(), offer.Id) { At = b.Now, Principal = "f" });

        var after = ClusterFold.Apply(b.State, new FrameworkRemoved(framework, "torn down") { At = b.Now, Principal = "f" });

        Assert.Empty(after.Executors);
        Assert.True(after.Agents[agent].Used.IsEmpty);
    }
}
