using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Mesos.Tests.Integration;
using static Mesos.Tests.Api.Http.TaskGroupHttpTests;
using WireAgent = Mesos.Protocol.Wire.Agent;
using WireMaster = Mesos.Protocol.Wire.Master;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// A task group launched over the v1 scheduler API (JSON) on a real master and agent, and every read view of it as
/// Mesos 1.11 shows one: the master's GET_STATE / GET_EXECUTORS / GET_TASKS (JSON and protobuf), <c>/master/state</c>
/// and <c>/master/frameworks</c> (the DEFAULT executor in the framework's <c>executors</c>), and the agent's
/// GET_CONTAINERS (the executor's container; its tasks' nested ones only with <c>show_nested</c>), GET_EXECUTORS,
/// GET_TASKS and <c>/state</c>.
/// </summary>
public sealed class TaskGroupReadViewsHttpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    private static async Task<JsonObject> PostAsync(HttpClient http, string url, string body, CancellationToken ct)
    {
        using var response = await http.PostAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"{body}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<byte[]> PostProtobufAsync(HttpClient http, string url, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        using var response = await http.SendAsync(request, ct);
        Assert.True(response.IsSuccessStatusCode, $"{body}: {(int)response.StatusCode}");
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    [Fact]
    public async Task WhileAGroupRuns_MasterAndAgentViewsShowItsDefaultExecutorAsMesosDoes()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = Environment.UserName, ["name"] = "views" }, ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]![0]!.AsObject();
        var agentId = (string)offer["agent_id"]!["value"]!;
        var accept = LaunchGroup((string)offer["id"]!["value"]!, DefaultExecutor("pod"), Task("a", agentId, "sleep 30"), Task("b", agentId, "sleep 30"));
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);
        var running = new HashSet<string>();
        while (running.Count < 2)
        {
            var status = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
            var taskId = (string)status["task_id"]!["value"]!;
            await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id(taskId), ["uuid"] = (string)status["uuid"]! }, ct);
            if ((string?)status["state"] == "TASK_RUNNING")
            {
                running.Add(taskId);
            }
        }

        using var http = new HttpClient();
        var masterApi = $"http://127.0.0.1:{master.Port}/api/v1";
        var agentApi = $"http://127.0.0.1:{agent.HttpPort}/api/v1";

        // Master, v1: the executor once, with its agent; each task names it (Mesos' master puts it into their TaskInfo).
        var getState = (await PostAsync(http, masterApi, """{"type":"GET_STATE"}""", ct))["get_state"]!;
        var executor = Assert.Single(getState["get_executors"]!["executors"]!.AsArray())!;
        Assert.Equal(("DEFAULT", "pod", agentId), ((string?)executor["executor_info"]!["type"], (string?)executor["executor_info"]!["executor_id"]!["value"], (string?)executor["agent_id"]!["value"]));
        Assert.Equal(scheduler.FrameworkId, (string?)executor["executor_info"]!["framework_id"]!["value"]);
        var tasks = getState["get_tasks"]!["tasks"]!.AsArray();
        Assert.Equal(["a", "b"], tasks.Select(t => (string)t!["task_id"]!["value"]!).Order());
        Assert.All(tasks, t => Assert.Equal("pod", (string?)t!["executor_id"]!["value"]));
        Assert.True(JsonNode.DeepEquals(getState["get_executors"], (await PostAsync(http, masterApi, """{"type":"GET_EXECUTORS"}""", ct))["get_executors"]));

        var binary = WireMaster.Response.Parser.ParseFrom(await PostProtobufAsync(http, masterApi, """{"type":"GET_EXECUTORS"}""", ct));
        var wireExecutor = Assert.Single(binary.GetExecutors.Executors);
        Assert.Equal((Protocol.Wire.ExecutorInfo.Types.Type.Default, "pod", agentId), (wireExecutor.ExecutorInfo.Type, wireExecutor.ExecutorInfo.ExecutorId.Value, wireExecutor.AgentId.Value));
        var wireTasks = WireMaster.Response.Parser.ParseFrom(await PostProtobufAsync(http, masterApi, """{"type":"GET_TASKS"}""", ct)).GetTasks.Tasks;
        Assert.All(wireTasks, t => Assert.Equal("pod", t.ExecutorId.Value));

        // Master, legacy: /master/state and /master/frameworks list it in the framework's executors, with slave_id.
        foreach (var path in new[] { "/master/state", "/master/frameworks" })
        {
            var framework = Assert.Single(JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{master.Port}{path}", ct))!["frameworks"]!.AsArray())!;
            var legacy = Assert.Single(framework["executors"]!.AsArray())!;
            Assert.Equal(("pod", "pod pod", scheduler.FrameworkId, "DEFAULT", agentId, "*"),
                ((string?)legacy["executor_id"], (string?)legacy["name"], (string?)legacy["framework_id"], (string?)legacy["type"], (string?)legacy["slave_id"], (string?)legacy["role"]));
            Assert.Equal((0.1, 32.0, 10.0), ((double)legacy["resources"]!["cpus"]!, (double)legacy["resources"]!["mem"]!, (double)legacy["resources"]!["disk"]!));
            Assert.All(framework["tasks"]!.AsArray(), t => Assert.Equal("pod", (string?)t!["executor_id"]));
        }

        // Agent /state: one DEFAULT executor holding both tasks, each naming it.
        var state = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{agent.HttpPort}/state", ct))!;
        var agentExecutor = Assert.Single(state["frameworks"]![0]!["executors"]!.AsArray())!;
        Assert.Equal(("pod", "DEFAULT", "*"), ((string?)agentExecutor["id"], (string?)agentExecutor["type"], (string?)agentExecutor["role"]));
        Assert.Equal(["a", "b"], agentExecutor["tasks"]!.AsArray().Select(t => (string)t!["id"]!).Order());
        Assert.All(agentExecutor["tasks"]!.AsArray(), t => Assert.Equal("pod", (string?)t!["executor_id"]));
        var executorContainer = (string)agentExecutor["container"]!;

        // Agent GET_CONTAINERS: the executor's container alone; with show_nested, its tasks' too, each naming its parent.
        var containers = (await PostAsync(http, agentApi, """{"type":"GET_CONTAINERS"}""", ct))["get_containers"]!["containers"]!.AsArray();
        var container = Assert.Single(containers)!;
        Assert.Equal(("pod", "pod pod", scheduler.FrameworkId, executorContainer),
            ((string?)container["executor_id"]!["value"], (string?)container["executor_name"], (string?)container["framework_id"]!["value"], (string?)container["container_id"]!["value"]));
        Assert.True((double)container["resource_statistics"]!["cpus_limit"]! >= 0.3 - 1e-9, container.ToJsonString());

        var nested = (await PostAsync(http, agentApi, """{"type":"GET_CONTAINERS","get_containers":{"show_nested":true}}""", ct))["get_containers"]!["containers"]!.AsArray();
        Assert.Equal(3, nested.Count);
        Assert.Equal(executorContainer, (string?)nested[0]!["container_id"]!["value"]);
        foreach (var task in nested.Skip(1))
        {
            Assert.Null(task!["framework_id"]);
            Assert.Null(task["executor_id"]);
            Assert.Null(task["container_id"]!["parent"]);
            Assert.Equal((string?)task["container_id"]!["value"], (string?)task["container_status"]!["container_id"]!["value"]);
            Assert.Equal(executorContainer, (string?)task["container_status"]!["container_id"]!["parent"]!["value"]);
        }

        var wireContainers = WireAgent.Response.Parser.ParseFrom(await PostProtobufAsync(http, agentApi, """{"type":"GET_CONTAINERS","get_containers":{"show_nested":true}}""", ct)).GetContainers.Containers;
        Assert.Equal(3, wireContainers.Count);
        Assert.All(wireContainers.Skip(1), c => Assert.Equal(executorContainer, c.ContainerStatus.ContainerId.Parent.Value));

        // Agent GET_EXECUTORS / GET_TASKS: the default executor (not a command executor per task), its tasks launched on it.
        var agentExecutors = (await PostAsync(http, agentApi, """{"type":"GET_EXECUTORS"}""", ct))["get_executors"]!["executors"]!.AsArray();
        var info = Assert.Single(agentExecutors)!["executor_info"]!;
        Assert.Equal(("DEFAULT", "pod", "pod pod", scheduler.FrameworkId), ((string?)info["type"], (string?)info["executor_id"]!["value"], (string?)info["name"], (string?)info["framework_id"]!["value"]));
        var launched = (await PostAsync(http, agentApi, """{"type":"GET_TASKS"}""", ct))["get_tasks"]!["launched_tasks"]!.AsArray();
        Assert.Equal(["a", "b"], launched.Select(t => (string)t!["task_id"]!["value"]!).Order());
        Assert.All(launched, t => Assert.Equal("pod", (string?)t!["executor_id"]!["value"]));

        Assert.Equal(202, (await scheduler.CallAsync("TEARDOWN", null, ct)).Status);
    }
}
