using Mesos.Core.Agents;
using Mesos.Core.Attributes;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.Masters;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Core.Tasks;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Tests.EventLog;

/// <summary>
/// One filled-in instance of every catalogued event, with the awkward values a codec gets wrong: reservations,
/// ranges and sets, attributes of every kind, nulls beside non-nulls, sub-millisecond times with an offset.
/// A new catalogue entry fails <c>EventCodecTests</c> until it has a sample here.
/// </summary>
internal static class EventSamples
{
    public const string Principal = "ops@example.org";

    /// <summary>Ticks below the millisecond and a non-UTC offset: a lossy time format cannot pass.</summary>
    public static readonly DateTimeOffset At = new DateTimeOffset(2026, 11, 25, 17, 6, 55, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);

    public static readonly AgentId Agent = new("0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-S3");

    public static readonly FrameworkId Framework = new("0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-0007");

    public static readonly OfferId Offer = new("0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-O42");

    public static readonly TaskId Task = new("web.2f9a");

    public static readonly ResourceSet Resources = ResourceSet.Parse("cpus:2.5;mem:1024;cpus(web/prod):1.125;ports:[31000-31005,31010-31010];disks:{ssd1,ssd2}");

    public static readonly AgentInfo AgentInfo = new(
        "agent-3.example.org",
        5051,
        ResourceSet.Parse("cpus:8;mem:16384;disk:100000;ports:[31000-32000]"),
        AgentAttributes.Parse("rack:r1;zone:west-2a;level:10.5;keys:[1000-1500,2000-2001];tags:{blue,green}"));

    public static readonly FrameworkInfo FrameworkInfo = new(
        "marathon",
        "root",
        ["web", "web/prod"],
        604800.5,
        true,
        "marathon-principal",
        "marathon-1.example.org",
        "http://marathon-1.example.org:8080",
        [FrameworkCapability.MultiRole, FrameworkCapability.PartitionAware, FrameworkCapability.TaskKillingState]);

    public static readonly TaskInfo TaskInfo = new(
        Task,
        "web server",
        Agent,
        Resources,
        new CommandInfo(
            "exec ./server --port=$PORT0 \"quoted\" \u00e9\u4e2d",
            true,
            ["--verbose", ""],
            [new EnvironmentVariable("PORT0", "31000"), new EnvironmentVariable("EMPTY", string.Empty)],
            "nobody"),
        TimeSpan.FromMilliseconds(1500.5));

    public static readonly ExecutorInfo ExecutorInfo = new(
        new ExecutorId("pyexec.1"),
        "python executor \u00e9",
        new CommandInfo("python3 executor.py", false, ["python3", "executor.py"], [new EnvironmentVariable("MODE", "batch")], null),
        ResourceSet.Parse("cpus:0.1;mem:32"),
        TimeSpan.FromSeconds(7.5));
    public static readonly TaskLaunchDetails LaunchDetails = new(
        [
            new CommandUri("https://repo.example.org/web-1.2.tar.gz", false, true, true, string.Empty),
            new CommandUri("/opt/tools/run \u00e9.sh", true, false, false, "run.sh"),
        ],
        new HealthCheck(
            HealthCheckType.Http,
            0.5,
            null,
            20,
            3,
            null,
            new CommandInfo("curl -f localhost:$PORT0", true, [], [new EnvironmentVariable("X", "1")], null),
            new HttpHealthCheck("https", 31000, "/health?full=1"),
            null),
        [new TaskLabel("tier", "web"), new TaskLabel("empty", string.Empty)]);

    public static readonly IReadOnlyList<ClusterEvent> All =
    [
        new MasterElected(new MasterIdentity("master-7c1d", "master-1.example.org", "10.0.0.1", 5050, "1.11.0-es")) { At = At, Principal = Principal },
        new AgentRegistered(Agent, AgentInfo) { At = At, Principal = Principal },
        new AgentReregistered(Agent, AgentInfo with { Attributes = AgentAttributes.Empty }) { At = At, Principal = Principal },
        new AgentHeartbeatReceived(Agent) { At = At, Principal = Principal },
        new AgentDisconnected(Agent) { At = At, Principal = Principal },
        new AgentMarkedUnreachable(Agent) { At = At, Principal = Principal },
        new AgentRemoved(Agent, "removed by operator; see \"maintenance\"") { At = At, Principal = Principal },
        new AgentDeactivated(Agent) { At = At, Principal = Principal },
        new AgentReactivated(Agent) { At = At, Principal = Principal },
        new FrameworkSubscribed(Framework, FrameworkInfo, true) { At = At, Principal = Principal },
        new FrameworkDisconnected(Framework) { At = At, Principal = Principal },
        new FrameworkRemoved(Framework, "failover timeout") { At = At, Principal = Principal },
        new FrameworkSuppressed(Framework, ["web"]) { At = At, Principal = Principal },
        new FrameworkRevived(Framework, []) { At = At, Principal = Principal },
        new FrameworkUpdated(Framework, FrameworkInfo with { Name = "web \u00e9dition", FailoverTimeoutSeconds = 604_800.5 }, ["web"]) { At = At, Principal = Principal },
        new AllocationCycleRan(123_456_789_012, 42, 3) { At = At, Principal = Principal },
        new OfferMade(Offer, Framework, Agent, "web/prod", Resources) { At = At, Principal = Principal },
        new OfferDeclined(Offer, At.AddSeconds(5)) { At = At, Principal = Principal },
        new OfferAccepted(Offer, At.AddTicks(1)) { At = At, Principal = Principal },
        new OfferRescinded(Offer, "agent removed") { At = At, Principal = Principal },
        new TaskLaunched(Framework, TaskInfo, new ExecutorId("web.2f9a"), Offer) { At = At, Principal = Principal },
        new TaskLaunchedV2(Framework, TaskInfo, new ExecutorId("web.2f9a"), Offer, LaunchDetails) { At = At, Principal = Principal },
        new TaskStatusUpdated(
            Framework,
            Task,
            Agent,
            new TaskStatus(TaskState.Failed, TaskReason.ContainerLimitationMemory, "OOM", StatusSource.Agent, Guid.Parse("6c0b1e6a-1f1d-4b55-8d1e-4a7b5f0c9d21"), At.AddTicks(-3), false))
        {
            At = At,
            Principal = Principal,
        },
        new TaskStatusAcknowledged(Framework, Task, Agent, Guid.Parse("6c0b1e6a-1f1d-4b55-8d1e-4a7b5f0c9d21")) { At = At, Principal = Principal },
        new TaskKillRequested(Framework, Task, Agent, null) { At = At, Principal = Principal },
        new TaskLaunchedOnExecutor(Framework, TaskInfo with { Command = null }, ExecutorInfo, Offer) { At = At, Principal = Principal },
        new ExecutorTerminated(Framework, Agent, ExecutorInfo.ExecutorId, 137) { At = At, Principal = Principal },
        new ExecutorShutdownRequested(Framework, Agent, ExecutorInfo.ExecutorId) { At = At, Principal = Principal },
        new RoleWeightsUpdated([new RoleWeight("eng/web", 2.5), new RoleWeight("ops", 0.125)]) { At = At, Principal = Principal },
        new AllocatorConfigured("cpus:1;mem:512|disk:100") { At = At, Principal = Principal },
        new QuotaUpdated([
            new RoleQuota("eng", ResourceSet.Parse("cpus:4;mem:2048"), ResourceSet.Parse("cpus:8.5;mem:4096;gpus:1")),
            new RoleQuota("eng/web", ResourceSet.Empty, ResourceSet.Empty),
        ])
        {
            At = At,
            Principal = Principal,
        },
        new ResourcesReserved(Agent, ResourceSet.Parse("cpus(web,web/prod@ops%3Ateam#owner=a%26b&pinned):1.5;mem(web/prod@):512"), Offer) { At = At, Principal = Principal },
        new ResourcesUnreserved(Agent, ResourceSet.Parse("ports(web/prod@ops):[31000-31001]"), null) { At = At, Principal = Principal },
        new TaskGroupLaunched(
            Framework,
            ExecutorInfo with { Command = new CommandInfo(string.Empty, true, [], [], null) },
            ExecutorType.Default,
            [TaskInfo, TaskInfo with { TaskId = new TaskId("sidecar"), Name = "sidecar", Command = TaskInfo.Command! with { Value = "./sidecar" } }],
            [LaunchDetails, TaskLaunchDetails.None],
            Offer)
        {
            At = At,
            Principal = Principal,
        },
        new MaintenanceScheduleUpdated([
            new MaintenanceWindow([new MachineId("Agent-3.example.org", "10.0.0.3"), new MachineId(string.Empty, "10.0.0.4")], new Unavailability(1_764_172_800_123_456_789, 7_200_000_000_000)),
            new MaintenanceWindow([new MachineId("agent-\u00e9.example.org", string.Empty)], new Unavailability(-5, null)),
        ])
        {
            At = At,
            Principal = Principal,
        },
        new VolumesCreated(Agent, ResourceSet.Parse("disk(web@ops)[db%3A1:data/db:rw:ops]:64;disk(web)[scratch:tmp:rw]:8"), Offer) { At = At, Principal = Principal },
        new VolumesDestroyed(Agent, ResourceSet.Parse("disk(web)[scratch:tmp:rw]:8"), null) { At = At, Principal = Principal },
        new AgentDrainStarted(Agent, 600_000_000_000, true) { At = At, Principal = Principal },
        new AgentDrained(Agent) { At = At, Principal = Principal },
        new MachinesDown([new MachineId("agent-3.example.org", "10.0.0.3")]) { At = At, Principal = Principal },
        new MachinesUp([new MachineId(string.Empty, "10.0.0.4"), new MachineId("agent-3.example.org", "10.0.0.3")]) { At = At, Principal = Principal },
        new AgentAddressRecorded(Agent, "10.0.0.3") { At = At, Principal = Principal },
        new InverseOfferMade(Offer, Framework, Agent, new Unavailability(1_764_172_800_123_456_789, null)) { At = At, Principal = Principal },
        new InverseOfferAnswered(Offer, InverseOfferAnswer.Decline, At.AddSeconds(5)) { At = At, Principal = Principal },
        new InverseOfferAnswered(Offer, InverseOfferAnswer.Accept, null) { At = At, Principal = Principal },
        new InverseOfferRescinded(Offer, "Machine is not draining") { At = At, Principal = Principal },
        new VolumeGrown(Agent, ResourceSet.Parse("disk(web@ops)[db%3A1:data/db:rw:ops]:64"), ResourceSet.Parse("disk(web@ops):0.125"), Offer) { At = At, Principal = Principal },
        new VolumeShrunk(Agent, ResourceSet.Parse("disk(web)[scratch:tmp:rw]:8"), ResourceSet.Parse("disk(web):2.5"), null) { At = At, Principal = Principal },
    ];

    public static ClusterEvent? For(Type eventType) => All.FirstOrDefault(e => e.GetType() == eventType);
}
