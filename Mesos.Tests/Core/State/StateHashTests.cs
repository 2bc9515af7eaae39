using System.Globalization;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Tests.Core.State;

public sealed class StateHashTests
{
    /// <summary>
    /// The hash of <see cref="FixedLog"/>. If this changes, a log written by an earlier version no longer folds to the
    /// state (or the hash) it had, so snapshots and replicas of different versions would disagree: change it only
    /// together with a versioned migration of stored snapshots and hashes.
    /// </summary>
    private const string FixedLogHash = "5aaea1683bd123ac86a18155f714ea97ac6d6f76452c93478c7f966e37018459";

    /// <summary>The hash of <see cref="FixedLogWithReservations"/>.</summary>
    private const string FixedLogWithReservationsHash = "88cbd3acac559017c5cd90410b78f27b90c04a46213a91aee0990861bfceaadb";

    /// <summary>The hash of <see cref="FixedLogWithRoles"/>: the fixed log, then weights and quota set by an operator.</summary>
    private const string FixedLogWithRolesHash = "747d09282b9d73b8be363a9f4077c827e4173b6c10708bf30c917533444da6de";

    /// <summary>The hash of <see cref="FixedLogWithFrameworkCalls"/>.</summary>
    private const string FixedLogWithFrameworkCallsHash = "f6b8327b27861bc614dee4a700e3aa5db027fbbf94136f62cfac83f8e501978e";

    /// <summary>The hash of <see cref="FixedLogWithMaintenance"/>.</summary>
    private const string FixedLogWithMaintenanceHash = "18ec044193c11b22885afbad0421c2326e0e319652f74598bd90448e45a2d371";

    /// <summary>The hash of <see cref="FixedLogWithResizedVolumes"/>.</summary>
    private const string FixedLogWithResizedVolumesHash = "8219e681678df7676bea506dc573bdca24a015d94751c2137c444666c52f6da7";

    private static readonly AgentId A1 = new("m1-S0");
    private static readonly AgentId A2 = new("m1-S1");
    private static readonly FrameworkId F = new("m1-0000");
    private static readonly FrameworkId G = new("m1-0001");

    /// <summary>A log of every event type that ends with tasks running, offers out, filters and a completed framework.</summary>
    public static IReadOnlyList<ClusterEvent> FixedLog()
    {
        var t = TestCluster.T0;
        var web = TestCluster.Task("web", A1, "cpus:1;mem:256;ports:[31000-31000]", TimeSpan.FromSeconds(5));
        var batch = TestCluster.Task("batch", A1, "cpus:2;mem:1024");
        var db = TestCluster.Task("db", A1, "cpus:0.5;mem:512;ports:[31005-31006]");
        var h = new FrameworkId("m2-0002");
        return
        [
            new MasterElected(TestCluster.Master1) { At = t, Principal = "operator" },
            new AgentRegistered(A1, TestCluster.Agent("a1")) { At = t.AddSeconds(1), Principal = "a1" },
            new AgentRegistered(A2, TestCluster.Agent("a2", "cpus(eng):2;cpus:2;mem:2048;disk:5000;ports:[31000-31010]")) { At = t.AddSeconds(2), Principal = "a2" },
            new FrameworkSubscribed(F, TestCluster.Framework("marathon", capabilities: FrameworkCapability.PartitionAware), Resubscribed: false) { At = t.AddSeconds(3), Principal = "marathon" },
            new FrameworkSubscribed(G, TestCluster.Framework("spark", ["eng", "*"], 0, FrameworkCapability.MultiRole), Resubscribed: false) { At = t.AddSeconds(4), Principal = "spark" },
            new AllocationCycleRan(1, 7, 2) { At = t.AddSeconds(5), Principal = "allocator" },
            new OfferMade(new OfferId("m1-O0"), F, A1, "*", TestCluster.Res(TestCluster.AgentResources)) { At = t.AddSeconds(5), Principal = "allocator" },
            new OfferMade(new OfferId("m1-O1"), G, A2, "eng", TestCluster.Res("cpus(eng):2;cpus:2;mem:2048;disk:5000;ports:[31000-31010]")) { At = t.AddSeconds(5), Principal = "allocator" },
            new TaskLaunched(F, web, new ExecutorId("web"), new OfferId("m1-O0")) { At = t.AddSeconds(6), Principal = "marathon" },
            new OfferAccepted(new OfferId("m1-O0"), t.AddSeconds(16)) { At = t.AddSeconds(6), Principal = "marathon" },
            new OfferDeclined(new OfferId("m1-O1"), t.AddSeconds(3606)) { At = t.AddSeconds(6.5), Principal = "spark" },
            new TaskStatusUpdated(F, web.TaskId, A1, new TaskStatus(TaskState.Running, null, "started", StatusSource.Executor, TestCluster.Uuid(1), t.AddSeconds(7), Healthy: true)) { At = t.AddSeconds(7), Principal = "a1" },
            new TaskStatusAcknowledged(F, web.TaskId, A1, TestCluster.Uuid(1)) { At = t.AddSeconds(8), Principal = "marathon" },
            new AgentHeartbeatReceived(A1) { At = t.AddSeconds(15), Principal = "a1" },
            new FrameworkSuppressed(G, ["*"]) { At = t.AddSeconds(16), Principal = "spark" },
            new AllocationCycleRan(2, 8, 1) { At = t.AddSeconds(20), Principal = "allocator" },
            new OfferMade(new OfferId("m1-O2"), G, A1, "eng", TestCluster.Res("cpus:3;mem:3840;disk:10000;ports:[31001-32000]")) { At = t.AddSeconds(20), Principal = "allocator" },
            new TaskLaunched(G, batch, new ExecutorId("batch"), new OfferId("m1-O2")) { At = t.AddSeconds(21), Principal = "spark" },
            new OfferAccepted(new OfferId("m1-O2"), t.AddSeconds(26)) { At = t.AddSeconds(21), Principal = "spark" },
            new TaskKillRequested(F, web.TaskId, A1, null) { At = t.AddSeconds(30), Principal = "marathon" },
            new TaskStatusUpdated(F, web.TaskId, A1, new TaskStatus(TaskState.Killed, TaskReason.TaskKilledDuringLaunch, "killed", StatusSource.Executor, TestCluster.Uuid(2), t.AddSeconds(31))) { At = t.AddSeconds(31), Principal = "a1" },
            new TaskStatusAcknowledged(F, web.TaskId, A1, TestCluster.Uuid(2)) { At = t.AddSeconds(32), Principal = "marathon" },
            new MasterElected(TestCluster.Master2) { At = t.AddSeconds(100), Principal = "operator" },
            new AgentReregistered(A1, TestCluster.Agent("a1")) { At = t.AddSeconds(101), Principal = "a1" },
            new FrameworkSubscribed(F, TestCluster.Framework("marathon", capabilities: FrameworkCapability.PartitionAware), Resubscribed: true) { At = t.AddSeconds(102), Principal = "marathon" },
            new FrameworkSubscribed(G, TestCluster.Framework("spark", ["eng", "*"], 0, FrameworkCapability.MultiRole), Resubscribed: true) { At = t.AddSeconds(102), Principal = "spark" },
            new FrameworkRevived(F, []) { At = t.AddSeconds(103), Principal = "marathon" },
            new AgentDisconnected(A2) { At = t.AddSeconds(110), Principal = "m2" },
            new AgentMarkedUnreachable(A2) { At = t.AddSeconds(180), Principal = "m2" },
            new AllocationCycleRan(3, 9, 1) { At = t.AddSeconds(200), Principal = "allocator" },
            new OfferMade(new OfferId("m2-O3"), F, A1, "*", TestCluster.Res("cpus:2;mem:3072;disk:10000;ports:[31000-32000]")) { At = t.AddSeconds(200), Principal = "allocator" },
            new TaskLaunched(F, db, new ExecutorId("db"), new OfferId("m2-O3")) { At = t.AddSeconds(201), Principal = "marathon" },
            new OfferAccepted(new OfferId("m2-O3"), t.AddSeconds(206)) { At = t.AddSeconds(201), Principal = "marathon" },
            new AllocationCycleRan(4, 10, 1) { At = t.AddSeconds(202), Principal = "allocator" },
            new OfferMade(new OfferId("m2-O4"), G, A1, "eng", TestCluster.Res("cpus:1.5;mem:2560;disk:10000;ports:[31000-31004,31007-32000]")) { At = t.AddSeconds(202), Principal = "allocator" },
            new TaskStatusUpdated(F, db.TaskId, A1, new TaskStatus(TaskState.Running, null, string.Empty, StatusSource.Executor, TestCluster.Uuid(3), t.AddSeconds(203))) { At = t.AddSeconds(203), Principal = "a1" },
            new OfferRescinded(new OfferId("m1-O9"), "unknown offer") { At = t.AddSeconds(204), Principal = "m2" },
            new FrameworkSubscribed(h, TestCluster.Framework("chronos", failoverTimeoutSeconds: 0), Resubscribed: false) { At = t.AddSeconds(205), Principal = "chronos" },
            new FrameworkDisconnected(h) { At = t.AddSeconds(206), Principal = "m2" },
            new FrameworkRemoved(h, "disconnected with a failover timeout of 0") { At = t.AddSeconds(206), Principal = "m2" },
            new AgentRemoved(A2, "gone") { At = t.AddSeconds(300), Principal = "operator" },
        ];
    }

    /// <summary>
    /// The fixed log extended with the role events that came with the DRF allocator. Kept apart so that the
    /// original log's pinned hash shows that older logs still fold to the hash they had.
    /// </summary>
    public static IReadOnlyList<ClusterEvent> FixedLogWithRoles()
    {
        var t = TestCluster.T0.AddSeconds(400);
        return
        [
            .. FixedLog(),
            new RoleWeightsUpdated([new RoleWeight("eng", 2.0), new RoleWeight("ops", 0.5)]) { At = t, Principal = "operator" },
            new QuotaUpdated([new RoleQuota("eng", TestCluster.Res("cpus:1;mem:512"), TestCluster.Res("cpus:4;mem:4096"))]) { At = t.AddSeconds(1), Principal = "operator" },
            new AllocatorConfigured("cpus:0.5|mem:256") { At = t.AddSeconds(1), Principal = "master" },
            new TaskLaunchedOnExecutor(F, TestCluster.Task("worker1", A2, "cpus:0.5;mem:64") with { Command = null }, Executor("x1"), new OfferId("m1-O9")) { At = t.AddSeconds(2), Principal = "marathon" },
            new TaskLaunchedOnExecutor(F, TestCluster.Task("worker2", A2, "cpus:0.5;mem:64") with { Command = null }, Executor("x2"), new OfferId("m1-O9")) { At = t.AddSeconds(2), Principal = "marathon" },
            new ExecutorTerminated(F, A2, new ExecutorId("x2"), 0) { At = t.AddSeconds(3), Principal = "agent:m1-S1" },
            new TaskLaunchedV2(
                G,
                TestCluster.Task("cache", A1, "cpus:0.5;mem:64"),
                new ExecutorId("cache"),
                new OfferId("m2-O4"),
                new TaskLaunchDetails(
                    [new CommandUri("/opt/cache.tar.gz", false, true, false, string.Empty)],
                    new HealthCheck(HealthCheckType.Tcp, null, 5, null, null, null, null, null, 6379),
                    [new TaskLabel("tier", "cache")]))
            {
                At = t.AddSeconds(2),
                Principal = "spark",
            },

            // Deactivated, reactivated, deactivated again: the state ends with a deactivated agent and its offer rescinded.
            new AgentDeactivated(A1) { At = t.AddSeconds(4), Principal = "operator" },
            new AgentReactivated(A1) { At = t.AddSeconds(5), Principal = "operator" },
            new AgentDeactivated(A1) { At = t.AddSeconds(6), Principal = "operator" },

            // A task group on a DEFAULT executor (its offer already rescinded with the deactivation).
            new TaskGroupLaunched(
                G,
                new ExecutorInfo(new ExecutorId("pod1"), "pod", TaskGroupDecisions.NoCommand, TestCluster.Res("cpus:0.1;mem:32;disk:10"), null),
                ExecutorType.Default,
                [TestCluster.Task("pod1-a", A1, "cpus:0.25;mem:32"), TestCluster.Task("pod1-b", A1, "cpus:0.25;mem:32")],
                [TaskLaunchDetails.None, TaskLaunchDetails.None],
                new OfferId("m2-O4"))
            {
                At = t.AddSeconds(7),
                Principal = "spark",
            },

            // Drained (DRAIN_AGENT with a max grace period, then DRAINED): the agent keeps its drain info and stays deactivated.
            new AgentDrainStarted(A1, 30_000_000_000, false) { At = t.AddSeconds(7), Principal = "operator" },
            new AgentDrained(A1) { At = t.AddSeconds(8), Principal = "marathon" },
        ];
    }

    private static ExecutorInfo Executor(string id) =>
        new(new ExecutorId(id), "custom " + id, new CommandInfo("./executor --id " + id, true, [], [new EnvironmentVariable("MODE", "fast")], null), TestCluster.Res("cpus:0.1;mem:32"), TimeSpan.FromSeconds(2));

    /// <summary>
    /// The fixed log with roles, then dynamic reservations: one by an operator, one out of an offer (refined on top
    /// of nothing, then partly given back). Kept apart so that the logs before it keep their pinned hashes.
    /// </summary>
    public static IReadOnlyList<ClusterEvent> FixedLogWithReservations()
    {
        var t = TestCluster.T0.AddSeconds(500);
        return
        [
            .. FixedLogWithRoles(),
            new ResourcesReserved(A1, TestCluster.Res("mem(ops@admin#purpose=db):256"), null) { At = t, Principal = "operator" },
            new ResourcesReserved(A1, TestCluster.Res("cpus(eng@spark):1"), new OfferId("m2-O4")) { At = t.AddSeconds(1), Principal = "spark" },
            new ResourcesUnreserved(A1, TestCluster.Res("mem(ops@admin#purpose=db):128"), null) { At = t.AddSeconds(2), Principal = "operator" },
        ];
    }

    /// <summary>
    /// The fixed log with reservations, then the scheduler calls of Mesos 1.9+: an UPDATE_FRAMEWORK (renamed, a longer
    /// failover timeout, one role suppressed) and a SHUTDOWN of a custom executor. Kept apart so that the logs before
    /// it keep their pinned hashes.
    /// </summary>
    public static IReadOnlyList<ClusterEvent> FixedLogWithFrameworkCalls()
    {
        var t = TestCluster.T0.AddSeconds(600);
        return
        [
            .. FixedLogWithReservations(),
            new FrameworkUpdated(G, TestCluster.Framework("spark", ["eng", "*"], 3600, FrameworkCapability.MultiRole) with { Name = "spark-2" }, ["*"]) { At = t, Principal = "spark" },
            new ExecutorShutdownRequested(F, A2, new ExecutorId("x1")) { At = t.AddSeconds(1), Principal = "marathon" },

            // Persistent volumes: two made on disk reserved for it, one destroyed again.
            new ResourcesReserved(A1, TestCluster.Res("disk(eng@spark):96"), null) { At = t.AddSeconds(2), Principal = "operator" },
            new VolumesCreated(A1, TestCluster.Res("disk(eng@spark)[db:data:rw:spark]:64;disk(eng@spark)[logs:var%3Alog:rw]:32"), null) { At = t.AddSeconds(3), Principal = "operator" },
            new VolumesDestroyed(A1, TestCluster.Res("disk(eng@spark)[logs:var%3Alog:rw]:32"), null) { At = t.AddSeconds(4), Principal = "operator" },
        ];
    }

    /// <summary>
    /// The fixed log with framework calls, then maintenance: an agent's IP, a schedule with its machine and two others,
    /// inverse offers answered, rescinded and outstanding, and a machine down and up again. Kept apart so that the logs
    /// before it keep their pinned hashes.
    /// </summary>
    public static IReadOnlyList<ClusterEvent> FixedLogWithMaintenance()
    {
        var t = TestCluster.T0.AddSeconds(700);
        var a1 = new MachineId("a1", "10.0.0.11");
        var spare = new MachineId("spare.example", string.Empty);
        var racked = new MachineId(string.Empty, "10.0.0.99");
        var drain = new Unavailability(1_767_225_600_000_000_000, 3_600_000_000_000);
        return
        [
            .. FixedLogWithFrameworkCalls(),
            new AgentAddressRecorded(A1, "10.0.0.11") { At = t, Principal = "a1" },
            new MaintenanceScheduleUpdated([new MaintenanceWindow([a1, spare], drain), new MaintenanceWindow([racked], new Unavailability(1_767_229_200_000_000_000, null))]) { At = t.AddSeconds(1), Principal = "operator" },
            new InverseOfferMade(new OfferId("m2-O5"), F, A1, drain) { At = t.AddSeconds(2), Principal = "allocator" },
            new InverseOfferMade(new OfferId("m2-O6"), G, A1, drain) { At = t.AddSeconds(2), Principal = "allocator" },
            new InverseOfferAnswered(new OfferId("m2-O5"), InverseOfferAnswer.Decline, t.AddSeconds(8)) { At = t.AddSeconds(3), Principal = "marathon" },
            new InverseOfferRescinded(new OfferId("m2-O6"), "Framework is not active") { At = t.AddSeconds(4), Principal = "allocator" },
            new MachinesDown([racked]) { At = t.AddSeconds(5), Principal = "operator" },
            new MachinesUp([racked]) { At = t.AddSeconds(6), Principal = "operator" },
            new MachinesDown([spare]) { At = t.AddSeconds(7), Principal = "operator" },
            new InverseOfferMade(new OfferId("m2-O7"), G, A1, drain) { At = t.AddSeconds(9), Principal = "allocator" },
        ];
    }

    /// <summary>
    /// The fixed log with maintenance, then persistent volumes resized: the 'db' volume grown by an operator into the
    /// disk left reserved for it, then shrunk again. Kept apart so that the logs before it keep their pinned hashes.
    /// </summary>
    public static IReadOnlyList<ClusterEvent> FixedLogWithResizedVolumes()
    {
        var t = TestCluster.T0.AddSeconds(800);
        return
        [
            .. FixedLogWithMaintenance(),
            new VolumeGrown(A1, TestCluster.Res("disk(eng@spark)[db:data:rw:spark]:64"), TestCluster.Res("disk(eng@spark):24"), null) { At = t, Principal = "operator" },
            new VolumeShrunk(A1, TestCluster.Res("disk(eng@spark)[db:data:rw:spark]:88"), TestCluster.Res("disk(eng@spark):8.5"), null) { At = t.AddSeconds(1), Principal = "operator" },
        ];
    }

    [Fact]
    public void Compute_OfTheFixedLogWithResizedVolumes_IsAKnownValue()
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLogWithResizedVolumes());

        var hash = StateHash.Compute(state);

        Assert.Contains(TestCluster.Res("disk(eng@spark)[db:data:rw:spark]:79.5").Entries[0], state.Agents[A1].Info.Resources.Entries);
        Assert.True(FixedLogWithResizedVolumesHash == hash, $"the hash of the fixed log with resized volumes changed to {hash}; canonical form:\n{StateHash.Canonical(state)}");
    }

    [Fact]
    public void Compute_OfTheFixedLogWithMaintenance_IsAKnownValue()
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLogWithMaintenance());

        var hash = StateHash.Compute(state);

        Assert.Equal(MachineMode.Down, state.Maintenance.ModeOf(new MachineId("SPARE.example", string.Empty)));
        Assert.Equal(MachineMode.Draining, state.Maintenance.ModeOf(state.Agents[A1].Machine));
        Assert.Equal(InverseOfferAnswer.Decline, state.Maintenance.Answers[A1][F].Answer);
        Assert.Equal(new OfferId("m2-O7"), Assert.Single(state.Maintenance.InverseOffers.Keys));
        Assert.Equal(2, state.Maintenance.Machines.Count);
        Assert.True(FixedLogWithMaintenanceHash == hash, $"the hash of the fixed log with maintenance changed to {hash}; canonical form:\n{StateHash.Canonical(state)}");
    }

    [Fact]
    public void Compute_OfTheFixedLogWithFrameworkCalls_IsAKnownValue()
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLogWithFrameworkCalls());

        var hash = StateHash.Compute(state);

        Assert.Contains("spark-2", StateHash.Canonical(state), StringComparison.Ordinal);
        Assert.True(FixedLogWithFrameworkCallsHash == hash, $"the hash of the fixed log with framework calls changed to {hash}; canonical form:\n{StateHash.Canonical(state)}");
    }

    [Fact]
    public void Compute_OfTheFixedLogWithReservations_IsAKnownValue()
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLogWithReservations());

        var hash = StateHash.Compute(state);

        Assert.Contains("cpus(eng@spark):1", StateHash.Canonical(state), StringComparison.Ordinal);
        Assert.True(FixedLogWithReservationsHash == hash, $"the hash of the fixed log with reservations changed to {hash}; canonical form:\n{StateHash.Canonical(state)}");
    }

    [Fact]
    public void Compute_OfTheFixedLogWithRoles_IsAKnownValue()
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLogWithRoles());

        var hash = StateHash.Compute(state);

        Assert.True(FixedLogWithRolesHash == hash, $"the hash of the fixed log with roles changed to {hash}; canonical form:\n{StateHash.Canonical(state)}");
    }

    [Fact]
    public void Compute_OfAFixedLog_IsAKnownValueSoThatAnyChangeToFoldingOrHashingIsNoticed()
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLog());

        var hash = StateHash.Compute(state);

        Assert.True(FixedLogHash == hash, $"the hash of the fixed log changed to {hash}; canonical form:\n{StateHash.Canonical(state)}");
    }

    [Fact]
    public void FixedLog_UsesEveryEventTypeAndEndsWithEveryKindOfStateFilledIn()
    {
        var used = FixedLogWithResizedVolumes().Select(e => e.GetType()).ToHashSet();
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLog());

        Assert.All(EventCatalogue.Entries, entry => Assert.Contains(entry.Type, used));
        Assert.NotEmpty(state.Offers);
        Assert.Equal(2, state.Tasks.Count);
        Assert.Contains(state.Tasks.Values, t => t.PendingUuid is not null);
        Assert.NotEmpty(state.Frameworks[F].UsedOn);
        Assert.NotEmpty(state.Frameworks[F].Filters);
        Assert.NotEmpty(state.Frameworks[G].OfferedOn);
        Assert.NotEmpty(state.Frameworks[G].SuppressedRoles);
        Assert.NotEmpty(state.Frameworks[F].CompletedTasks);
        Assert.NotEmpty(state.CompletedFrameworks);
    }

    [Fact]
    public void Compute_SameLogFoldedInTwoSeparateRuns_GivesTheSameHash()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var f = b.Subscribe();
        b.RunningTask(f, a1, "t1");
        b.RunningTask(f, a2, "t2");
        b.Allocate();
        var log = b.Log.ToList();

        var first = ClusterFold.ApplyAll(ClusterState.Empty, log);
        var second = ClusterFold.ApplyAll(ClusterState.Empty, log.ToArray());

        Assert.NotSame(first, second);
        StateAssert.Equal(first, second);
        StateAssert.Equal(b.State, first);
    }

    [Fact]
    public void Compute_DoesNotDependOnTheCurrentCulture()
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLog());
        var expected = StateHash.Compute(state);
        var odd = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        odd.NumberFormat.NegativeSign = "~";
        odd.NumberFormat.NumberDecimalSeparator = ",";
        odd.NumberFormat.NumberGroupSeparator = "_";
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = odd;

            Assert.Equal(expected, StateHash.Compute(state));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    public static TheoryData<string> Changes =>
    [
        "agent last seen", "agent used", "framework name", "framework used", "framework offered", "framework filter", "offer resources", "task status message",
        "task pending uuid", "completed task", "completed framework", "next offer number", "master",
    ];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Compute_ChangesWhenAnyPartOfTheStateChanges(string change)
    {
        var state = ClusterFold.ApplyAll(ClusterState.Empty, FixedLog());
        var agent = state.Agents[A1];
        var framework = state.Frameworks[F];
        var completed = framework.CompletedTasks[0];
        var changed = change switch
        {
            "agent last seen" => state with { Agents = state.Agents.SetItem(A1, agent with { LastSeen = agent.LastSeen.AddTicks(1) }) },
            "agent used" => state with { Agents = state.Agents.SetItem(A1, agent with { Used = agent.Used + TestCluster.Res("cpus:0.001") }) },
            "framework name" => state with { Frameworks = state.Frameworks.SetItem(F, framework with { Info = framework.Info with { Name = "other" } }) },
            "framework used" => state with { Frameworks = state.Frameworks.SetItem(F, framework with { UsedOn = framework.UsedOn.SetItem(A2, TestCluster.Res("cpus:1")) }) },
            "framework offered" => state with { Frameworks = state.Frameworks.SetItem(F, framework with { OfferedOn = framework.OfferedOn.SetItem(A2, TestCluster.Res("cpus:1")) }) },
            "framework filter" => state with { Frameworks = state.Frameworks.SetItem(F, framework with { Filters = framework.Filters.SetItem(A1, new OfferFilter(ResourceSet.Empty, TestCluster.T0)) }) },
            "offer resources" => state with { Offers = state.Offers.SetItem(new OfferId("x"), new OfferState(new OfferId("x"), F, A1, "*", ResourceSet.Empty, TestCluster.T0)) },
            "task status message" => WithCompleted(state, framework, completed with { Statuses = completed.Statuses.SetItem(0, completed.Statuses[0] with { Message = "m" }) }),
            "task pending uuid" => WithCompleted(state, framework, completed with { PendingUuid = Guid.Empty }),
            "completed task" => WithCompleted(state, framework, completed with { State = TaskState.Failed }),
            "completed framework" => state with { CompletedFrameworks = state.CompletedFrameworks.SetItem(0, state.CompletedFrameworks[0] with { DisconnectedAt = null }) },
            "next offer number" => state with { NextOfferNumber = state.NextOfferNumber + 1 },
            _ => state with { Master = state.Master! with { Port = 5051 } },
        };

        Assert.NotEqual(StateHash.Compute(state), StateHash.Compute(changed));
    }

    private static ClusterState WithCompleted(ClusterState state, FrameworkState framework, TaskRecord task) =>
        state with { Frameworks = state.Frameworks.SetItem(framework.Id, framework with { CompletedTasks = framework.CompletedTasks.SetItem(0, task) }) };
}
