using Mesos.Core.Agents;
using Mesos.Core.Attributes;
using Mesos.Core.Collections;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Masters;
using Mesos.Core.Resources;
using Mesos.Core.Tasks;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Tests.Core.Scenarios;

/// <summary>Realistic defaults for a small cluster: one master, agents with Mesos' usual resources, command tasks.</summary>
public static class TestCluster
{
    public const string AgentResources = "cpus:4;mem:4096;disk:10000;ports:[31000-32000]";

    public const string Operator = "operator";

    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly MasterIdentity Master1 = new("m1", "master1.example", "10.0.0.1", 5050, "1.11.0");

    public static readonly MasterIdentity Master2 = new("m2", "master2.example", "10.0.0.2", 5050, "1.11.0");

    public static ResourceSet Res(string text) => ResourceSet.Parse(text);

    public static AgentInfo Agent(string hostname = "agent1", string resources = AgentResources) =>
        new(hostname, 5051, Res(resources), AgentAttributes.Parse("rack:r1;zone:west"));

    public static FrameworkInfo Framework(
        string name = "marathon",
        string[]? roles = null,
        double failoverTimeoutSeconds = 3600,
        params FrameworkCapability[] capabilities) =>
        new(
            name,
            "root",
            ValueArray.From(roles ?? [Roles.Default]),
            failoverTimeoutSeconds,
            Checkpoint: true,
            Principal: name + "-principal",
            Hostname: name + ".example",
            WebUiUrl: string.Empty,
            ValueArray.From(capabilities));

    public static TaskInfo Task(string taskId, AgentId agentId, string resources = "cpus:1;mem:128", TimeSpan? killGracePeriod = null) =>
        new(new TaskId(taskId), taskId, agentId, Res(resources), new CommandInfo("sleep 1000", true, [], [], null), killGracePeriod);

    public static TaskStatus Status(TaskState state, Guid? uuid, DateTimeOffset at, StatusSource source = StatusSource.Executor, TaskReason? reason = null) =>
        new(state, reason, string.Empty, source, uuid, at);

    /// <summary>A deterministic uuid, so that logs built in tests are the same on every run.</summary>
    public static Guid Uuid(int n) => new(n, 0x5eed, 0x7e57, [0, 0, 0, 0, 0, 0, 0, 1]);
}
