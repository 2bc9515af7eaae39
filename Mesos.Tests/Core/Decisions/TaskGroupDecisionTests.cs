using System.Collections.Immutable;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

public sealed class TaskGroupDecisionTests
{
    private static ExecutorInfo DefaultExecutor(string id = "pod", string resources = "cpus:0.1;mem:32;disk:10") =>
        new(new ExecutorId(id), "pod", TaskGroupDecisions.NoCommand, TestCluster.Res(resources), null);

    private static TaskGroupLaunch Group(ExecutorInfo executor, params TaskInfo[] tasks) =>
        new(executor, ExecutorType.Default, false, [.. tasks], [.. tasks.Select(_ => TaskLaunchDetails.None)]);

    private static AcceptOffers Accept(FrameworkId framework, OfferId offer, params TaskGroupLaunch[] groups) =>
        new(framework, [offer], [], 0) { Principal = "f", Groups = [.. groups] };

    [Fact]
    public void Accept_AValidGroup_LaunchesEveryTaskOnTheDefaultExecutorInOneEvent_AndChargesTheExecutorOnce()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var a = TestCluster.Task("a", agent, "cpus:0.5;mem:64");
        var c = TestCluster.Task("c", agent, "cpus:0.5;mem:64");

        var events = b.Execute(Accept(framework, offer.Id, Group(DefaultExecutor(), a, c)));

        var launched = Assert.Single(events.OfType<TaskGroupLaunched>());
        Assert.Equal(new TaskGroupLaunched(framework, DefaultExecutor(), ExecutorType.Default, [a, c], [TaskLaunchDetails.None, TaskLaunchDetails.None], offer.Id) { At = b.Now, Principal = "f" }, launched);
        Assert.Equal(TestCluster.Res("cpus:1.1;mem:160;disk:10"), b.State.Agents[agent].Used);
        var executor = Assert.Single(b.State.Executors.Values);
        Assert.Equal(ExecutorType.Default, executor.Type);
        Assert.All([a, c], t => Assert.Equal(new ExecutorId("pod"), b.State.Tasks[new TaskKey(framework, t.TaskId)].ExecutorId));
    }

    [Fact]
    public void Accept_ASecondGroupOnTheSameRunningExecutor_DoesNotChargeTheExecutorAgain()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        b.Execute(Accept(framework, offer.Id, Group(DefaultExecutor(), TestCluster.Task("a", agent, "cpus:0.5;mem:64"))));
        b.AdvanceSeconds(10);
        var second = b.Allocate().Single();

        b.Execute(Accept(framework, second.Id, Group(DefaultExecutor(), TestCluster.Task("b", agent, "cpus:0.5;mem:64"))));

        Assert.Equal(TestCluster.Res("cpus:1.1;mem:160;disk:10"), b.State.Agents[agent].Used);
        Assert.Single(b.State.Executors);
    }

    [Fact]
    public void Accept_AGroupWhoseTasksAndExecutorExceedTheOffer_IsRefusedWhole()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        // The tasks alone fit (4 cpus); with the executor's 0.1 they do not.
        b.Decide(Accept(framework, offer.Id, Group(DefaultExecutor(), TestCluster.Task("a", agent, "cpus:2;mem:64"), TestCluster.Task("b", agent, "cpus:2;mem:64"))))
            .ThenError(DecideErrorKind.InvalidArgument, "Total resources", "required by task group and its executor are more than available");
    }

    [Fact]
    public void Accept_AnEmptyGroup_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        b.Decide(Accept(framework, offer.Id, Group(DefaultExecutor()))).ThenError(DecideErrorKind.InvalidArgument, "Task group must contain at least one task");
    }

    [Fact]
    public void Accept_ADuplicateTaskIdOrOneInUse_IsRefusedNamingTheTask()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var a = TestCluster.Task("a", agent, "cpus:0.5;mem:64");

        b.Decide(Accept(framework, offer.Id, Group(DefaultExecutor(), a, a)))
            .ThenError(DecideErrorKind.InvalidArgument, "Task 'a' is invalid: Task id 'a' is already in use");

        b.Execute(Accept(framework, offer.Id, Group(DefaultExecutor(), a)));
        b.AdvanceSeconds(10);
        var second = b.Allocate().Single();
        b.Decide(Accept(framework, second.Id, Group(DefaultExecutor(), a with { })))
            .ThenError(DecideErrorKind.InvalidArgument, "Task 'a' is invalid", "already in use");
    }

    [Fact]
    public void Accept_ATaskNamingAnotherExecutor_IsRefusedWithMesosMessage()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var group = Group(DefaultExecutor(), TestCluster.Task("a", agent, "cpus:0.5;mem:64")) with
        {
            TaskExecutors = ImmutableDictionary<TaskId, ExecutorInfo>.Empty.Add(new TaskId("a"), DefaultExecutor("other")),
        };

        b.Decide(Accept(framework, offer.Id, group))
            .ThenError(DecideErrorKind.InvalidArgument, "The `ExecutorInfo` of task 'a' is different from executor 'pod'");
    }

    [Theory]
    [InlineData(null, false, "'ExecutorInfo.type' must be set")]
    [InlineData(ExecutorType.Unknown, false, "Unknown executor type")]
    [InlineData(ExecutorType.Default, true, "'ExecutorInfo.command' must not be set for 'DEFAULT' executor")]
    [InlineData(ExecutorType.Custom, false, "'ExecutorInfo.command' must be set for 'CUSTOM' executor")]
    public void Accept_AnExecutorOfTheWrongTypeOrCommand_IsRefusedWithMesosMessage(ExecutorType? type, bool hasCommand, string message)
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var group = Group(DefaultExecutor(), TestCluster.Task("a", agent, "cpus:0.5;mem:64")) with { Type = type, ExecutorHasCommand = hasCommand };

        b.Decide(Accept(framework, offer.Id, group)).ThenError(DecideErrorKind.InvalidArgument, message);
    }

    [Theory]
    [InlineData("mem:32;disk:10", "Executor 'pod' uses less CPUs (None) than the minimum required (0.01)")]
    [InlineData("cpus:0.1;mem:16;disk:10", "Executor 'pod' uses less memory (16MB) than the minimum required (32MB)")]
    [InlineData("cpus:0.1;mem:32", "Executor 'pod' uses no disk")]
    public void Accept_AnExecutorBelowMesosMinimums_IsRefused(string resources, string message)
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        b.Decide(Accept(framework, offer.Id, Group(DefaultExecutor(resources: resources), TestCluster.Task("a", agent, "cpus:0.5;mem:64"))))
            .ThenError(DecideErrorKind.InvalidArgument, message);
    }

    [Fact]
    public void Accept_ADefaultExecutorTaskWithoutACommand_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();

        b.Decide(Accept(framework, offer.Id, Group(DefaultExecutor(), TestCluster.Task("a", agent, "cpus:0.5;mem:64") with { Command = null })))
            .ThenError(DecideErrorKind.InvalidArgument, "Task 'a' is invalid", "'TaskInfo.command' must be set");
    }

    [Fact]
    public void Accept_AGroupOnAnExecutorIdACustomExecutorHolds_IsRefusedAsIncompatible()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var custom = new ExecutorInfo(new ExecutorId("pod"), "pod", new CommandInfo("./executor", true, [], [], null), TestCluster.Res("cpus:0.1;mem:32;disk:10"), null);
        b.Execute(new AcceptOffers(framework, [offer.Id], [TestCluster.Task("c", agent, "cpus:0.5;mem:64") with { Command = null }], 0)
        {
            Principal = "f",
            Executors = ImmutableDictionary<TaskId, ExecutorInfo>.Empty.Add(new TaskId("c"), custom),
        });
        b.AdvanceSeconds(10);
        var second = b.Allocate().Single();

        b.Decide(Accept(framework, second.Id, Group(DefaultExecutor(), TestCluster.Task("a", agent, "cpus:0.5;mem:64"))))
            .ThenError(DecideErrorKind.InvalidArgument, "not compatible with existing ExecutorInfo", "'pod'");
    }

    [Fact]
    public void Accept_AnInvalidGroupBesideAValidLaunch_LaunchesNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        var accept = new AcceptOffers(framework, [offer.Id], [TestCluster.Task("plain", agent, "cpus:0.5;mem:64")], 0)
        {
            Principal = "f",
            Groups = [Group(DefaultExecutor(resources: "cpus:0.1;mem:32"), TestCluster.Task("a", agent, "cpus:0.5;mem:64"))],
        };

        b.Decide(accept).ThenError(DecideErrorKind.InvalidArgument, "uses no disk");
        Assert.Empty(b.State.Tasks);
    }
}
