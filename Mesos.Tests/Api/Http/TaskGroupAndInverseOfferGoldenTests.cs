using System.Text;
using System.Text.Json.Nodes;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Master.Api.Http;
using Mesos.Master.Api.Http.Legacy;
using Mesos.Master.Api.Http.Operator;
using Mesos.Master.Loop;
using Mesos.Tests.Core.Scenarios;
using Microsoft.Extensions.Time.Testing;
using Wire = Mesos.Protocol.Wire;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Golden files and field checks of the read views for task groups and maintenance, rendered from a cluster built
/// through decide and fold: a framework runs a task group on a DEFAULT executor on an agent whose machine is scheduled
/// for maintenance, and holds the inverse offer for it. GET_FRAMEWORKS lists it in <c>inverse_offers</c> (master.proto
/// field 8), the executor is in GET_EXECUTORS and in each framework's legacy <c>executors</c>, and its tasks name it.
/// </summary>
public sealed class TaskGroupAndInverseOfferGoldenTests
{
    private static readonly Unavailability Window = new(1_767_229_200_000_000_000, 3_600_000_000_000);

    private static readonly ExecutorInfo Pod =
        new(new ExecutorId("pod"), "pod", TaskGroupDecisions.NoCommand, TestCluster.Res("cpus:0.1;mem:32;disk:10"), null);

    private sealed record Scenario(ClusterState State, FrameworkId Framework, AgentId Agent, OfferId InverseOffer);

    private static Scenario Cluster()
    {
        var cluster = ClusterBuilder.WithMaster();
        var registered = cluster.Execute(new RegisterAgent(TestCluster.Agent("agent1")) { Principal = "agent1", Ip = "10.0.0.7" });
        var agent = ((AgentRegistered)registered[0]).AgentId;
        cluster.AdvanceSeconds(1);
        var framework = cluster.Subscribe(TestCluster.Framework("pods"));
        var offer = cluster.Allocate().Single();
        TaskInfo[] tasks = [TestCluster.Task("a", agent, "cpus:0.5;mem:64"), TestCluster.Task("b", agent, "cpus:0.5;mem:64")];
        cluster.Execute(new AcceptOffers(framework, [offer.Id], [], 0)
        {
            Principal = "scheduler",
            Groups = [new TaskGroupLaunch(Pod, ExecutorType.Default, false, [.. tasks], [.. tasks.Select(_ => TaskLaunchDetails.None)])],
        });
        cluster.AdvanceSeconds(1);
        foreach (var task in tasks)
        {
            cluster.UpdateAndAck(new TaskKey(framework, task.TaskId), TaskState.Running);
        }

        cluster.AdvanceSeconds(1);
        cluster.Execute(new UpdateMaintenanceSchedule([new MaintenanceWindow([new MachineId("agent1", "10.0.0.7")], Window)]) { Principal = "operator" });
        var inverse = cluster.Execute(new RunAllocation(cluster.State.AllocationCycles) { Principal = "allocator" }).OfType<InverseOfferMade>().Single();
        return new Scenario(cluster.State, framework, agent, inverse.InverseOfferId);
    }

    private static byte[] GetState(ClusterState state) =>
        OperatorHttpEndpoints.Render("GET_STATE", "get_state", json => V1Json.WriteGetState(json, state, "1.11.0"));

    private static string MasterState(ClusterState state)
    {
        var runtime = new MasterRuntime(new FakeTimeProvider(TestCluster.T0));
        runtime.Elected(TestCluster.Master1, TestCluster.T0);
        return Encoding.ASCII.GetString(LegacyEndpoints.Render(json => LegacyJson.WriteState(json, new ClusterSnapshot(state, 42), runtime, "test", [("port", "5050")])));
    }

    [Fact]
    public void GetState_WithATaskGroupAndAnInverseOffer_MatchesItsGoldenFile() =>
        GoldenFile.Verify("get-state-task-group", Encoding.ASCII.GetString(GetState(Cluster().State)));

    [Fact]
    public void MasterState_WithATaskGroup_MatchesItsGoldenFile() => GoldenFile.Verify("master-state-task-group", MasterState(Cluster().State));

    [Fact]
    public void GetFrameworks_ListsTheOutstandingInverseOffer_AfterOffers_AsMesosWritesAnInverseOffer()
    {
        var scenario = Cluster();
        var getState = JsonNode.Parse(GetState(scenario.State))!["get_state"]!;
        var framework = Assert.Single(getState["get_frameworks"]!["frameworks"]!.AsArray())!.AsObject();
        var keys = framework.Select(p => p.Key).ToList();
        Assert.True(keys.IndexOf("inverse_offers") > keys.IndexOf("unregistered_time") && keys.IndexOf("inverse_offers") < keys.IndexOf("allocated_resources"), string.Join(",", keys));

        var inverse = Assert.Single(framework["inverse_offers"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "url", "framework_id", "agent_id", "unavailability"], inverse.Select(p => p.Key));
        Assert.Equal(scenario.InverseOffer.Value, (string?)inverse["id"]!["value"]);
        Assert.Equal(scenario.Framework.Value, (string?)inverse["framework_id"]!["value"]);
        Assert.Equal(scenario.Agent.Value, (string?)inverse["agent_id"]!["value"]);
        var url = JsonNode.Parse("""{"scheme":"http","address":{"hostname":"agent1","ip":"10.0.0.7","port":5051},"path":"/slave(1)"}""");
        Assert.True(JsonNode.DeepEquals(url, inverse["url"]), inverse["url"]!.ToJsonString());
        Assert.Equal(Window.StartNanoseconds, (long)inverse["unavailability"]!["start"]!["nanoseconds"]!);
        Assert.Equal(Window.DurationNanoseconds, (long)inverse["unavailability"]!["duration"]!["nanoseconds"]!);

        // Its offers on the draining agent (where its task group's executor runs) say so too, after their url and before their allocation_info, as the framework got them.
        var offer = Assert.Single(framework["offers"]!.AsArray())!.AsObject();
        Assert.Equal(Window.StartNanoseconds, (long)offer["unavailability"]!["start"]!["nanoseconds"]!);
        Assert.Equal(["id", "framework_id", "agent_id", "hostname", "resources", "executor_ids", "attributes", "url", "unavailability", "allocation_info"], offer.Select(p => p.Key));
    }

    [Fact]
    public void GetFrameworks_OnceTheInverseOfferIsAnswered_NoLongerListsIt()
    {
        var scenario = Cluster();
        var answered = ClusterFold.Apply(scenario.State, new InverseOfferAnswered(scenario.InverseOffer, InverseOfferAnswer.Accept, null) { At = TestCluster.T0, Principal = "scheduler" });

        var framework = JsonNode.Parse(GetState(answered))!["get_state"]!["get_frameworks"]!["frameworks"]![0]!;

        Assert.Null(framework["inverse_offers"]);
    }

    [Fact]
    public void GetState_AsProtobuf_CarriesTheInverseOfferAsField8_AndTheDefaultExecutor()
    {
        var scenario = Cluster();
        var bytes = WireEncoding.Encode(WireEncoding.Protobuf, Wire.Master.Response.Descriptor, GetState(scenario.State));
        var state = Wire.Master.Response.Parser.ParseFrom(bytes).GetState;

        var framework = Assert.Single(state.GetFrameworks.Frameworks);
        var inverse = Assert.Single(framework.InverseOffers);
        Assert.Equal((scenario.InverseOffer.Value, scenario.Framework.Value, scenario.Agent.Value), (inverse.Id.Value, inverse.FrameworkId.Value, inverse.AgentId.Value));
        Assert.Equal(("agent1", "10.0.0.7", 5051, "/slave(1)"), (inverse.Url.Address.Hostname, inverse.Url.Address.Ip, inverse.Url.Address.Port, inverse.Url.Path));
        Assert.Equal(Window.StartNanoseconds, inverse.Unavailability.Start.Nanoseconds);
        Assert.Empty(inverse.Resources);
        Assert.Equal(8, Wire.Master.Response.Types.GetFrameworks.Types.Framework.InverseOffersFieldNumber);

        var executor = Assert.Single(state.GetExecutors.Executors);
        Assert.Equal(Wire.ExecutorInfo.Types.Type.Default, executor.ExecutorInfo.Type);
        Assert.Equal(("pod", scenario.Framework.Value, scenario.Agent.Value), (executor.ExecutorInfo.ExecutorId.Value, executor.ExecutorInfo.FrameworkId.Value, executor.AgentId.Value));
        Assert.Null(executor.ExecutorInfo.Command);
        Assert.All(state.GetTasks.Tasks, t => Assert.Equal("pod", t.ExecutorId.Value));
    }

    [Fact]
    public void MasterState_ListsTheDefaultExecutorInItsFramework_AsFullFrameworkWriterDoes_AndItsTasksNameIt()
    {
        var scenario = Cluster();
        var framework = Assert.Single(JsonNode.Parse(MasterState(scenario.State))!["frameworks"]!.AsArray())!;

        var executor = Assert.Single(framework["executors"]!.AsArray())!.AsObject();
        Assert.Equal(["executor_id", "name", "framework_id", "command", "resources", "role", "type", "slave_id"], executor.Select(p => p.Key));
        Assert.Equal(("pod", "pod", scenario.Framework.Value, "*", "DEFAULT", scenario.Agent.Value),
            ((string?)executor["executor_id"], (string?)executor["name"], (string?)executor["framework_id"], (string?)executor["role"], (string?)executor["type"], (string?)executor["slave_id"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"argv":[],"uris":[]}"""), executor["command"]), executor["command"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"cpus":0.1,"disk":10,"gpus":0,"mem":32}"""), executor["resources"]), executor["resources"]!.ToJsonString());
        Assert.All(framework["tasks"]!.AsArray(), t => Assert.Equal("pod", (string?)t!["executor_id"]));
    }
}
