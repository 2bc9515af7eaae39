using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class TaskGroupFoldTests
{
    private static ExecutorInfo Pod() =>
        new(new ExecutorId("pod"), "pod", TaskGroupDecisions.NoCommand, TestCluster.Res("cpus:0.1;mem:32;disk:10"), null);

    [Fact]
    [FoldsEvent(typeof(TaskGroupLaunched))]
    public void Apply_TaskGroupLaunched_StagesEveryTaskOnTheExecutor_AndTakesTheExecutorOnceFromTheOffer()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var a = TestCluster.Task("a", agent, "cpus:1;mem:128");
        var c = TestCluster.Task("c", agent, "cpus:1;mem:128");

        var after = ClusterFold.ApplyAll(b.State, [
            new TaskGroupLaunched(framework, Pod(), ExecutorType.Default, [a], [TaskLaunchDetails.None], offer.Id) { At = b.Now, Principal = "f" },
            new TaskGroupLaunched(framework, Pod(), ExecutorType.Default, [c], [TaskLaunchDetails.None], offer.Id) { At = b.Now, Principal = "f" },
        ]);

        var executor = Assert.Single(after.Executors.Values);
        Assert.Equal(new ExecutorKey(framework, agent, new ExecutorId("pod")), executor.Key);
        Assert.Equal(ExecutorType.Default, executor.Type);
        Assert.Equal(Pod(), executor.Info);
        foreach (var task in new[] { a, c })
        {
            var record = after.Tasks[new TaskKey(framework, task.TaskId)];
            Assert.Equal(TaskState.Staging, record.State);
            Assert.Equal(new ExecutorId("pod"), record.ExecutorId);
        }

        var used = TestCluster.Res("cpus:2.1;mem:288;disk:10");
        Assert.Equal(used, after.Agents[agent].Used);
        Assert.Equal(used, after.Frameworks[framework].Used);
        Assert.Equal(offer.Resources - used, after.Offers[offer.Id].Resources);
    }

    [Fact]
    public void Apply_ExecutorTerminated_OfADefaultExecutor_GivesItsResourcesBack()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        b.Append(new TaskGroupLaunched(framework, Pod(), ExecutorType.Default, [TestCluster.Task("a", agent, "cpus:1;mem:128")], [TaskLaunchDetails.None], offer.Id) { At = b.Now, Principal = "f" });

        var after = ClusterFold.Apply(b.State, new ExecutorTerminated(framework, agent, new ExecutorId("pod"), 0) { At = b.Now, Principal = "a" });

        Assert.Empty(after.Executors);
        Assert.Equal(TestCluster.Res("cpus:1;mem:128"), after.Agents[agent].Used);
    }

    [Fact]
    public void Hash_OfAStateWithADefaultExecutor_DiffersFromTheSameExecutorAsCustom()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var launch = new TaskGroupLaunched(framework, Pod(), ExecutorType.Default, [TestCluster.Task("a", agent, "cpus:1;mem:128")], [TaskLaunchDetails.None], offer.Id) { At = b.Now, Principal = "f" };

        var asDefault = ClusterFold.Apply(b.State, launch);
        var asCustom = ClusterFold.Apply(b.State, launch with { ExecutorType = ExecutorType.Custom });

        Assert.NotEqual(StateHash.Compute(asDefault), StateHash.Compute(asCustom));
    }
}
