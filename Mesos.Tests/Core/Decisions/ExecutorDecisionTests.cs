using System.Collections.Immutable;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

public sealed class ExecutorDecisionTests
{
    private static ExecutorInfo Executor(string id = "x1", string command = "./executor", string resources = "cpus:0.5;mem:64") =>
        new(new ExecutorId(id), "custom", new CommandInfo(command, true, [], [], null), TestCluster.Res(resources), null);

    private static AcceptOffers Accept(FrameworkId framework, OfferId offer, params (TaskInfo Task, ExecutorInfo? Executor)[] tasks) =>
        new(framework, [offer], [.. tasks.Select(t => t.Task)], 0)
        {
            Principal = "f",
            Executors = tasks.Where(t => t.Executor is not null).ToImmutableDictionary(t => t.Task.TaskId, t => t.Executor!),
        };

    [Fact]
    public void Accept_TasksOnANewExecutor_LaunchThemOnItAndChargeTheExecutorOnce()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var t1 = TestCluster.Task("t1", agent) with { Command = null };
        var t2 = TestCluster.Task("t2", agent) with { Command = null };

        var events = b.Execute(Accept(framework, offer.Id, (t1, Executor()), (t2, Executor())));

        Assert.Equal(
            [new TaskLaunchedOnExecutor(framework, t1, Executor(), offer.Id) { At = b.Now, Principal = "f" },
             new TaskLaunchedOnExecutor(framework, t2, Executor(), offer.Id) { At = b.Now, Principal = "f" }],
            events.OfType<TaskLaunchedOnExecutor>());
        Assert.Equal(TestCluster.Res("cpus:2.5;mem:320"), b.State.Agents[agent].Used);
    }

    [Fact]
    public void Accept_ATaskWithBothOrNeitherCommandAndExecutor_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        b.Decide(Accept(framework, offer.Id, (TestCluster.Task("both", agent), Executor())))
            .ThenError(DecideErrorKind.InvalidArgument, "at least one (but not both) of CommandInfo or ExecutorInfo");
        b.Decide(Accept(framework, offer.Id, (TestCluster.Task("neither", agent) with { Command = null }, null)))
            .ThenError(DecideErrorKind.InvalidArgument, "at least one (but not both) of CommandInfo or ExecutorInfo");
    }

    [Fact]
    public void Accept_AnExecutorIdReusedWithADifferentExecutorInfo_IsRefused_InTheSameCallAndLater()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var t1 = TestCluster.Task("t1", agent) with { Command = null };
        var t2 = TestCluster.Task("t2", agent) with { Command = null };

        b.Decide(Accept(framework, offer.Id, (t1, Executor()), (t2, Executor(command: "./other"))))
            .ThenError(DecideErrorKind.InvalidArgument, "not compatible with existing ExecutorInfo", "x1");

        b.Execute(Accept(framework, offer.Id, (t1, Executor())));
        b.AdvanceSeconds(1);
        var next = b.Allocate().Single();
        b.Decide(Accept(framework, next.Id, (t2, Executor(resources: "cpus:1"))))
            .ThenError(DecideErrorKind.InvalidArgument, "not compatible with existing ExecutorInfo", "x1");

        // The same ExecutorInfo joins the running executor, which is not charged again.
        b.Execute(Accept(framework, next.Id, (t2, Executor())));
        Assert.Equal(TestCluster.Res("cpus:2.5;mem:320"), b.State.Agents[agent].Used);
    }

    [Fact]
    public void Accept_ANewExecutorWhoseResourcesDoNotFitBesideTheTask_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var task = TestCluster.Task("t1", agent, "cpus:4") with { Command = null };

        b.Decide(Accept(framework, offer.Id, (task, Executor(resources: "cpus:0.5"))))
            .ThenError(DecideErrorKind.InvalidArgument, "with its executor's");
    }

    [Fact]
    public void RemoveExecutor_OfARunningExecutor_IsRecorded_AndOfAnUnknownOneIsNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        b.Execute(Accept(framework, offer.Id, (TestCluster.Task("t1", agent) with { Command = null }, Executor())));

        b.Decide(new RemoveExecutor(framework, agent, new ExecutorId("x1"), 0) { Principal = "agent" })
            .ThenEvents(new ExecutorTerminated(framework, agent, new ExecutorId("x1"), 0) { At = b.Now, Principal = "agent" });
        b.Decide(new RemoveExecutor(framework, agent, new ExecutorId("other"), 0) { Principal = "agent" }).ThenNothing();
    }
}
