using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

public sealed class OfferDecisionTests
{
    [Fact]
    public void Accept_LaunchesEachTaskThenClosesTheOfferWithTheDefaultFiveSecondFilter()
    {
        var (b, agent, framework, offer) = OneOffer();
        var t1 = TestCluster.Task("t1", agent, "cpus:1;mem:128;ports:[31000-31000]");
        var t2 = TestCluster.Task("t2", agent, "cpus:2;mem:1024");

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [t1, t2], null) { Principal = "f" })
            .ThenEvents(
                new TaskLaunchedV2(framework, t1, new ExecutorId("t1"), offer.Id, TaskLaunchDetails.None) { At = b.Now, Principal = "f" },
                new TaskLaunchedV2(framework, t2, new ExecutorId("t2"), offer.Id, TaskLaunchDetails.None) { At = b.Now, Principal = "f" },
                new OfferAccepted(offer.Id, b.Now.AddSeconds(5)) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Accept_WithLaunchDetails_CarriesEachTasksUrisHealthCheckAndLabelsInItsLaunch()
    {
        var (b, agent, framework, offer) = OneOffer();
        var t1 = TestCluster.Task("t1", agent);
        var t2 = TestCluster.Task("t2", agent);
        var details = new TaskLaunchDetails(
            [new CommandUri("/srv/app.tar.gz", false, true, false, string.Empty)],
            new HealthCheck(HealthCheckType.Http, null, null, null, null, null, null, new HttpHealthCheck(string.Empty, 8080, "/health"), null),
            [new TaskLabel("tier", "web")]);

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [t1, t2], null, new Dictionary<TaskId, TaskLaunchDetails> { [t1.TaskId] = details }) { Principal = "f" })
            .ThenEvents(
                new TaskLaunchedV2(framework, t1, new ExecutorId("t1"), offer.Id, details) { At = b.Now, Principal = "f" },
                new TaskLaunchedV2(framework, t2, new ExecutorId("t2"), offer.Id, TaskLaunchDetails.None) { At = b.Now, Principal = "f" },
                new OfferAccepted(offer.Id, b.Now.AddSeconds(5)) { At = b.Now, Principal = "f" });
    }

    [Theory]
    [InlineData(HealthCheckType.Command, "Expecting 'command' to be set for COMMAND health check")]
    [InlineData(HealthCheckType.Http, "Expecting 'http' to be set for HTTP health check")]
    [InlineData(HealthCheckType.Tcp, "Expecting 'tcp' to be set for TCP health check")]
    [InlineData((HealthCheckType)0, "'0' is not a valid health check type")]
    public void Accept_HealthCheckWithoutItsKindsField_IsRefusedAsMesosDoes(HealthCheckType type, string message)
    {
        var (b, agent, framework, offer) = OneOffer();
        var task = TestCluster.Task("t1", agent);
        var details = new TaskLaunchDetails([], new HealthCheck(type, null, null, null, null, null, null, null, null), []);

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [task], null, new Dictionary<TaskId, TaskLaunchDetails> { [task.TaskId] = details }) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, message);
    }

    [Theory]
    [InlineData(-1.0, null, null, "Expecting 'delay_seconds' to be non-negative")]
    [InlineData(null, -0.5, null, "Expecting 'interval_seconds' to be non-negative")]
    [InlineData(null, null, "ftp", "Unsupported HTTP health check scheme: 'ftp'")]
    public void Accept_HealthCheckWithABadValue_IsRefusedNamingIt(double? delay, double? interval, string? scheme, string message)
    {
        var (b, agent, framework, offer) = OneOffer();
        var task = TestCluster.Task("t1", agent);
        var check = new HealthCheck(HealthCheckType.Http, delay, interval, null, null, null, null, new HttpHealthCheck(scheme ?? "http", 80, "/"), null);

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [task], null, new Dictionary<TaskId, TaskLaunchDetails> { [task.TaskId] = new([], check, []) }) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, message);
    }

    [Fact]
    public void Accept_UriWithoutAValue_IsRefused()
    {
        var (b, agent, framework, offer) = OneOffer();
        var task = TestCluster.Task("t1", agent);
        var details = new TaskLaunchDetails([new CommandUri(" ", false, true, false, string.Empty)], null, []);

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [task], null, new Dictionary<TaskId, TaskLaunchDetails> { [task.TaskId] = details }) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "URI has no value");
    }

    [Fact]
    public void Accept_TaskNamingNoAgent_RunsOnTheAgentOfTheOffer()
    {
        var (b, agent, framework, offer) = OneOffer();
        var task = TestCluster.Task("t1", default);

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [task], 0) { Principal = "f" })
            .ThenEvents(
                new TaskLaunchedV2(framework, task with { AgentId = agent }, new ExecutorId("t1"), offer.Id, TaskLaunchDetails.None) { At = b.Now, Principal = "f" },
                new OfferAccepted(offer.Id, b.Now) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Accept_UnknownOffer_IsNotFound()
    {
        var (b, agent, framework, _) = OneOffer();

        DecideSpec.When(b, new AcceptOffers(framework, [new OfferId("m1-O99")], [TestCluster.Task("t1", agent)], null) { Principal = "f" })
            .ThenError(DecideErrorKind.NotFound, "m1-O99");
    }

    [Fact]
    public void Accept_AnotherFrameworksOffer_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        b.RegisterAgent("a2");
        var f = b.Subscribe(TestCluster.Framework("f"));
        var g = b.Subscribe(TestCluster.Framework("g"));
        b.Allocate();
        var offerOfF = b.Offer(f, a1);

        DecideSpec.When(b, new AcceptOffers(g, [offerOfF.Id], [TestCluster.Task("t1", a1)], null) { Principal = "g" })
            .ThenError(DecideErrorKind.PermissionDenied, offerOfF.Id.Value);
    }

    [Fact]
    public void Accept_OffersOfDifferentAgents_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var f = b.Subscribe();
        b.Allocate();

        DecideSpec.When(b, new AcceptOffers(f, [b.Offer(f, a1).Id, b.Offer(f, a2).Id], [TestCluster.Task("t1", a1)], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "same agent");
    }

    [Fact]
    public void Accept_NamingTheSameOfferTwice_IsRefused()
    {
        var (b, agent, framework, offer) = OneOffer();

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id, offer.Id], [TestCluster.Task("t1", agent)], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, offer.Id.Value);
    }

    [Fact]
    public void Accept_NamingNoOffer_IsRefused()
    {
        var (b, agent, framework, _) = OneOffer();

        DecideSpec.When(b, new AcceptOffers(framework, [], [TestCluster.Task("t1", agent)], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument);
    }

    [Fact]
    public void Accept_OfferAlreadyUsedByAnEarlierAccept_IsRefusedTheSecondTime()
    {
        var (b, agent, framework, offer) = OneOffer();
        b.Execute(new AcceptOffers(framework, [offer.Id], [TestCluster.Task("t1", agent)], null) { Principal = "f" });

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [TestCluster.Task("t2", agent)], null) { Principal = "f" })
            .ThenError(DecideErrorKind.NotFound, offer.Id.Value);
    }

    [Fact]
    public void Accept_ByADisconnectedFramework_IsRefused()
    {
        var (b, agent, framework, offer) = OneOffer();
        b.Execute(new DisconnectFramework(framework) { Principal = "m1" });

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [TestCluster.Task("t1", agent)], null) { Principal = "f" })
            .ThenError(DecideErrorKind.PermissionDenied);
    }

    [Fact]
    public void Accept_TwoTasksWithOneId_IsRefused()
    {
        var (b, agent, framework, offer) = OneOffer();

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [TestCluster.Task("t1", agent), TestCluster.Task("t1", agent)], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "t1", "already in use");
    }

    [Fact]
    public void Accept_TaskIdOfAnActiveTask_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");
        var offer = b.Allocate().Single();

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [TestCluster.Task("t1", agent)], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "t1", "already in use");
    }

    [Fact]
    public void Accept_TaskAskingForMoreThanTheOfferHolds_IsRefusedNamingTheTaskAndTheResources()
    {
        var (b, agent, framework, offer) = OneOffer();

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [TestCluster.Task("big", agent, "cpus:5;mem:128")], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "'big'", "cpus:5;mem:128", offer.Resources.ToString());
    }

    [Fact]
    public void Accept_SecondTaskNeedingWhatTheFirstTook_IsRefusedNamingWhatWasLeft()
    {
        var (b, agent, framework, offer) = OneOffer();
        var tasks = new[] { TestCluster.Task("first", agent, "cpus:3;mem:128"), TestCluster.Task("second", agent, "cpus:2;mem:128") };

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [.. tasks], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "'second'", "cpus:2;mem:128", "cpus:1;");
    }

    [Fact]
    public void Accept_PortsTheOfferDoesNotHold_IsRefused()
    {
        var (b, agent, framework, offer) = OneOffer();

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [TestCluster.Task("web", agent, "cpus:1;mem:128;ports:[80-80]")], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "'web'", "ports:[80-80]");
    }

    [Theory]
    [InlineData("empty id")]
    [InlineData("slash")]
    [InlineData("dot")]
    [InlineData("dotdot")]
    [InlineData("control")]
    [InlineData("no resources")]
    [InlineData("no command")]
    [InlineData("other agent")]
    public void Accept_InvalidTask_IsRefused(string problem)
    {
        var (b, agent, framework, offer) = OneOffer();
        var valid = TestCluster.Task("t1", agent);
        var task = problem switch
        {
            "empty id" => valid with { TaskId = new TaskId(string.Empty) },
            "slash" => valid with { TaskId = new TaskId("a/b") },
            "dot" => valid with { TaskId = new TaskId(".") },
            "dotdot" => valid with { TaskId = new TaskId("..") },
            "control" => valid with { TaskId = new TaskId("a\nb") },
            "no resources" => valid with { Resources = ResourceSet.Empty },
            "no command" => valid with { Command = new CommandInfo(string.Empty, true, [], [], null) },
            _ => valid with { AgentId = new AgentId("m1-S9") },
        };

        DecideSpec.When(b, new AcceptOffers(framework, [offer.Id], [task], null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument);
    }

    [Fact]
    public void Accept_TwoOffersOfOneAgent_PoolTheirResources()
    {
        var (b, agent, framework, first) = OneOffer();
        var early = b.Launch(first, "early", "cpus:1;mem:128", refuseSeconds: 0);
        var second = b.Allocate().Single();
        b.UpdateAndAck(early, TaskState.Finished);
        var third = b.Allocate().Single();
        var whole = TestCluster.Task("whole", agent, TestCluster.AgentResources);

        var events = b.Execute(new AcceptOffers(framework, [second.Id, third.Id], [whole], 0) { Principal = "f" });

        Assert.Equal([typeof(TaskLaunchedV2), typeof(OfferAccepted), typeof(OfferAccepted)], events.Select(e => e.GetType()));
        Assert.Empty(b.State.Offers);
        Assert.Equal(TestCluster.Res(TestCluster.AgentResources), b.State.Agents[agent].Used);
        Assert.True(b.State.Agents[agent].Offered.IsEmpty);
        Assert.True(b.State.Frameworks[framework].Offered.IsEmpty);
    }

    [Fact]
    public void Decline_WithoutRefuseSeconds_RefusesForFiveSeconds()
    {
        var (b, _, framework, offer) = OneOffer();

        DecideSpec.When(b, new DeclineOffers(framework, [offer.Id], null) { Principal = "f" })
            .ThenEvents(new OfferDeclined(offer.Id, b.Now.AddSeconds(ClusterDecider.DefaultRefuseSeconds)) { At = b.Now, Principal = "f" });
        Assert.Equal(5.0, ClusterDecider.DefaultRefuseSeconds);
    }

    [Theory]
    [InlineData(10.0, 10.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(31_536_000.0, 31_536_000.0)]
    [InlineData(1e12, 31_536_000.0)]
    [InlineData(double.PositiveInfinity, 31_536_000.0)]
    [InlineData(double.NaN, 5.0)]
    [InlineData(-1.0, 5.0)]
    [InlineData(double.NegativeInfinity, 5.0)]
    public void Decline_RefuseSeconds_AreCappedAt365DaysAndInvalidValuesMeanTheDefault(double refuseSeconds, double expectedSeconds)
    {
        var (b, _, framework, offer) = OneOffer();

        DecideSpec.When(b, new DeclineOffers(framework, [offer.Id], refuseSeconds) { Principal = "f" })
            .ThenEvents(new OfferDeclined(offer.Id, b.Now.AddSeconds(expectedSeconds)) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Decline_OffersAlreadyGoneOrOfAnotherFramework_AreSkippedAndDuplicatesCountOnce()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var f = b.Subscribe(TestCluster.Framework("f"));
        var g = b.Subscribe(TestCluster.Framework("g"));
        b.Allocate();
        var mine = b.Offer(f, a1);
        var theirs = b.Offer(g, a2);

        DecideSpec.When(b, new DeclineOffers(f, [new OfferId("m1-O99"), theirs.Id, mine.Id, mine.Id], 60) { Principal = "f" })
            .ThenEvents(new OfferDeclined(mine.Id, b.Now.AddSeconds(60)) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Decline_ByADisconnectedFramework_IsRefused()
    {
        var (b, _, framework, offer) = OneOffer();
        b.Execute(new DisconnectFramework(framework) { Principal = "m1" });

        DecideSpec.When(b, new DeclineOffers(framework, [offer.Id], null) { Principal = "f" })
            .ThenError(DecideErrorKind.PermissionDenied);
    }

    [Fact]
    public void ExpireOffers_RescindsOnlyOffersOutstandingForTheTimeout()
    {
        var (b, _, _, old) = OneOffer();
        b.AdvanceSeconds(30);
        b.RegisterAgent("a2");
        b.Allocate();
        b.AdvanceSeconds(30);

        DecideSpec.When(b, new ExpireOffers(TimeSpan.FromSeconds(60)) { Principal = "m1" })
            .ThenEvents(new OfferRescinded(old.Id, "offer timeout") { At = b.Now, Principal = "m1" });
    }

    [Fact]
    public void RunAllocation_RecordsTheCycleThenOneOfferPerGrantWithIdsScopedToTheMaster()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var f = b.Subscribe();
        var all = TestCluster.Res(TestCluster.AgentResources);

        DecideSpec.When(b, new RunAllocation(17) { Principal = "allocator" })
            .ThenEvents(
                new AllocationCycleRan(1, 17, 2) { At = b.Now, Principal = "allocator" },
                new OfferMade(new OfferId("m1-O0"), f, a1, "*", all) { At = b.Now, Principal = "allocator" },
                new OfferMade(new OfferId("m1-O1"), f, a2, "*", all) { At = b.Now, Principal = "allocator" });
    }

    [Fact]
    public void RunAllocation_OfferNumbersContinueAcrossCyclesAndMasters()
    {
        var (b, agent, framework, offer) = OneOffer();
        b.Execute(new DeclineOffers(framework, [offer.Id], 0) { Principal = "f" });
        b.ElectMaster(TestCluster.Master2);
        b.Execute(new SubscribeFramework(TestCluster.Framework(), framework) { Principal = "f" });
        b.Execute(new ReregisterAgent(agent, TestCluster.Agent(), []) { Principal = "a1" });

        DecideSpec.When(b, new RunAllocation(3) { Principal = "allocator" })
            .ThenEvents(
                new AllocationCycleRan(2, 3, 1) { At = b.Now, Principal = "allocator" },
                new OfferMade(new OfferId("m2-O1"), framework, agent, "*", offer.Resources) { At = b.Now, Principal = "allocator" });
    }

    [Fact]
    public void RunAllocation_NothingToOffer_RecordsNothing()
    {
        var (b, _, _, _) = OneOffer();

        DecideSpec.When(b, new RunAllocation(1) { Principal = "allocator" }).ThenNothing();
    }

    private static (ClusterBuilder Builder, AgentId Agent, FrameworkId Framework, OfferState Offer) OneOffer()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var framework = b.Subscribe();
        var offer = b.Allocate().Single();
        return (b, agent, framework, offer);
    }
}
