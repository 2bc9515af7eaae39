using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>Mesos' v1 operator API (POST /api/v1) and legacy endpoints against a real master and agent, driven with raw JSON.</summary>
public sealed class OperatorHttpApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static JsonObject FrameworkInfo(string name) => new() { ["user"] = Environment.UserName, ["name"] = name, ["failover_timeout"] = 3600 };

    /// <summary>Subscribes a framework over the scheduler API, launches <paramref name="command"/> and acknowledges until it is terminal.</summary>
    private static async Task<string> RunTaskAsync(SchedulerHttpClient scheduler, string taskId, string command, CancellationToken ct)
    {
        var offers = await scheduler.NextAsync(e => (string?)e["type"] == "OFFERS", ct);
        var offer = offers["offers"]!["offers"]!.AsArray()[0]!.AsObject();
        var agentId = (string)offer["agent_id"]!["value"]!;
        var accept = new JsonObject
        {
            ["offer_ids"] = new JsonArray(Id((string)offer["id"]!["value"]!)),
            ["operations"] = new JsonArray(new JsonObject
            {
                ["type"] = "LAUNCH",
                ["launch"] = new JsonObject
                {
                    ["task_infos"] = new JsonArray(new JsonObject
                    {
                        ["name"] = taskId,
                        ["task_id"] = Id(taskId),
                        ["agent_id"] = Id(agentId),
                        ["resources"] = new JsonArray(
                            new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 0.5 } },
                            new JsonObject { ["name"] = "mem", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 64 } }),
                        ["command"] = new JsonObject { ["value"] = command },
                    }),
                },
            }),
        };
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);
        return agentId;
    }

    private static async Task AcknowledgeUntilAsync(SchedulerHttpClient scheduler, string state, CancellationToken ct)
    {
        while (true)
        {
            var status = (await scheduler.NextAsync(e => (string?)e["type"] == "UPDATE", ct))["update"]!["status"]!.AsObject();
            var ack = new JsonObject { ["agent_id"] = status["agent_id"]!.DeepClone(), ["task_id"] = status["task_id"]!.DeepClone(), ["uuid"] = (string)status["uuid"]! };
            Assert.Equal(202, (await scheduler.CallAsync("ACKNOWLEDGE", ack, ct)).Status);
            if ((string?)status["state"] == state)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task GetCalls_DescribeTheClusterInMesosShapes()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        using var op = new OperatorHttpClient(master.Port);
        await scheduler.SubscribeAsync(FrameworkInfo("op-shapes"), ct);
        var agentId = await RunTaskAsync(scheduler, "sleeper", "sleep 30", ct);
        await AcknowledgeUntilAsync(scheduler, "TASK_RUNNING", ct);

        Assert.True((bool)(await op.GetAsync("GET_HEALTH", ct))["healthy"]!);
        Assert.Equal("1.11.0", (string?)(await op.GetAsync("GET_VERSION", ct))["version_info"]!["version"]);
        var metrics = (await op.GetAsync("GET_METRICS", ct))["metrics"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (double)m!["value"]!);
        Assert.Equal(1.0, metrics["master/elected"]);
        Assert.Equal(1.0, metrics["master/tasks_running"]);
        Assert.Equal(1.0, metrics["master/slaves_active"]);
        Assert.Equal(1.0, metrics["master/frameworks_active"]);
        Assert.Equal(4.0, metrics["master/cpus_total"]);
        Assert.Equal(0.5, metrics["master/cpus_used"]);

        var agents = (await op.GetAsync("GET_AGENTS", ct))["agents"]!.AsArray();
        var a = Assert.Single(agents)!.AsObject();
        Assert.Equal(agentId, (string?)a["agent_info"]!["id"]!["value"]);
        Assert.Equal("127.0.0.1", (string?)a["agent_info"]!["hostname"]);
        Assert.True((bool)a["active"]!);
        Assert.True((long)a["registered_time"]!["nanoseconds"]! > 0);
        Assert.Contains(a["total_resources"]!.AsArray(), r => (string?)r!["name"] == "cpus" && (double)r["scalar"]!["value"]! == 4.0);
        Assert.Contains(a["allocated_resources"]!.AsArray(), r => (string?)r!["name"] == "cpus" && (double)r["scalar"]!["value"]! == 0.5);

        var frameworks = (await op.GetAsync("GET_FRAMEWORKS", ct))["frameworks"]!.AsArray();
        var f = Assert.Single(frameworks)!.AsObject();
        Assert.Equal(scheduler.FrameworkId, (string?)f["framework_info"]!["id"]!["value"]);
        Assert.Equal("op-shapes", (string?)f["framework_info"]!["name"]);
        Assert.Equal(3600.0, (double)f["framework_info"]!["failover_timeout"]!);
        Assert.False((bool)f["framework_info"]!["checkpoint"]!);
        Assert.True((bool)f["active"]!);
        Assert.True((bool)f["connected"]!);

        var tasks = await op.GetAsync("GET_TASKS", ct);
        var t = Assert.Single(tasks["tasks"]!.AsArray())!.AsObject();
        Assert.Equal("sleeper", (string?)t["task_id"]!["value"]);
        Assert.Equal("TASK_RUNNING", (string?)t["state"]);
        Assert.Equal(scheduler.FrameworkId, (string?)t["framework_id"]!["value"]);
        Assert.Equal(agentId, (string?)t["agent_id"]!["value"]);
        Assert.Contains(t["statuses"]!.AsArray(), s => (string?)s!["state"] == "TASK_RUNNING");

        var state = await op.GetAsync("GET_STATE", ct);
        Assert.Equal(t.ToJsonString(), state["get_tasks"]!["tasks"]![0]!.ToJsonString());
        Assert.Equal(agentId, (string?)state["get_agents"]!["agents"]![0]!["agent_info"]!["id"]!["value"]);
        Assert.NotNull(state["get_executors"]);

        var roles = (await op.GetAsync("GET_ROLES", ct))["roles"]!.AsArray();
        var star = Assert.Single(roles)!.AsObject();
        Assert.Equal("*", (string?)star["name"]);
        Assert.Equal(1.0, (double)star["weight"]!);
        Assert.Equal(scheduler.FrameworkId, (string?)star["frameworks"]![0]!["value"]);

        var masterInfo = await op.GetAsync("GET_MASTER", ct);
        Assert.Equal(master.Port, (int)masterInfo["master_info"]!["port"]!);
        Assert.Equal(master.Server.Identity.Id, (string?)masterInfo["master_info"]!["id"]);
        Assert.True((double)masterInfo["elected_time"]! >= (double)masterInfo["start_time"]!);

        Assert.Equal(200, (await op.CallAsync(new JsonObject { ["type"] = "TEARDOWN", ["teardown"] = new JsonObject { ["framework_id"] = Id(scheduler.FrameworkId) } }, ct)).Status);
        var afterTeardown = await op.GetAsync("GET_FRAMEWORKS", ct);
        Assert.Null(afterTeardown["frameworks"]);
        Assert.Equal(scheduler.FrameworkId, (string?)afterTeardown["completed_frameworks"]![0]!["framework_info"]!["id"]!["value"]);
    }

    [Fact]
    public async Task UpdateWeightsAndQuota_AreReadBackByGetWeightsAndGetQuota()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);

        Assert.Null((await op.GetAsync("GET_WEIGHTS", ct))["weight_infos"]);
        var weights = JsonNode.Parse("""{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"eng","weight":2.5},{"role":"ops","weight":0.5}]}}""")!.AsObject();
        Assert.Equal(200, (await op.CallAsync(weights, ct)).Status);
        var infos = (await op.GetAsync("GET_WEIGHTS", ct))["weight_infos"]!.AsArray();
        Assert.Equal(["eng:2.5", "ops:0.5"], infos.Select(w => $"{(string?)w!["role"]}:{(double)w["weight"]!}"));

        var (badStatus, badBody) = await op.CallAsync(JsonNode.Parse("""{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"eng","weight":-1}]}}""")!.AsObject(), ct);
        Assert.Equal(400, badStatus);
        Assert.Contains("eng", badBody, StringComparison.Ordinal);

        var quota = JsonNode.Parse("""{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"eng","guarantees":{"cpus":{"value":1}},"limits":{"cpus":{"value":2},"mem":{"value":512}}}]}}""")!.AsObject();
        var (quotaStatus, quotaBody) = await op.CallAsync(quota, ct);
        Assert.True(quotaStatus == 200, quotaBody);
        var config = Assert.Single((await op.GetAsync("GET_QUOTA", ct))["status"]!["configs"]!.AsArray())!.AsObject();
        Assert.Equal("eng", (string?)config["role"]);
        Assert.Equal(1.0, (double)config["guarantees"]!["cpus"]!["value"]!);
        Assert.Equal(2.0, (double)config["limits"]!["cpus"]!["value"]!);
        Assert.Equal(512.0, (double)config["limits"]!["mem"]!["value"]!);

        var roles = (await op.GetAsync("GET_ROLES", ct))["roles"]!.AsArray();
        Assert.Equal(2.5, (double)roles.Single(r => (string?)r!["name"] == "eng")!["weight"]!);
    }

    [Fact]
    public async Task Subscribe_StartsWithTheStateThenFollowsAgentsFrameworksAndTasks()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync(configure: o => o with { FrameworkHeartbeatInterval = TimeSpan.FromMilliseconds(300) });
        using var op = new OperatorHttpClient(master.Port);
        var stream = await op.SubscribeAsync(ct);
        var subscribed = (await stream.NextAsync(ct))!;
        Assert.Equal("SUBSCRIBED", (string?)subscribed["type"]);
        Assert.Equal(0.3, (double)subscribed["subscribed"]!["heartbeat_interval_seconds"]!);
        Assert.NotNull(subscribed["subscribed"]!["get_state"]!["get_agents"]);

        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(FrameworkInfo("op-stream"), ct);
        await RunTaskAsync(scheduler, "quick", "true", ct);
        await AcknowledgeUntilAsync(scheduler, "TASK_FINISHED", ct);
        Assert.Equal(202, (await scheduler.CallAsync("TEARDOWN", null, ct)).Status);

        var seen = new List<string>();
        var taskStates = new List<string>();
        while (!seen.Contains("FRAMEWORK_REMOVED"))
        {
            var e = (await stream.NextAsync(ct))!;
            var type = (string)e["type"]!;
            seen.Add(type);
            switch (type)
            {
                case "AGENT_ADDED":
                    Assert.Equal("127.0.0.1", (string?)e["agent_added"]!["agent"]!["agent_info"]!["hostname"]);
                    break;
                case "FRAMEWORK_ADDED":
                    Assert.Equal("op-stream", (string?)e["framework_added"]!["framework"]!["framework_info"]!["name"]);
                    break;
                case "TASK_ADDED":
                    Assert.Equal("quick", (string?)e["task_added"]!["task"]!["task_id"]!["value"]);
                    Assert.Equal("TASK_STAGING", (string?)e["task_added"]!["task"]!["state"]);
                    break;
                case "TASK_UPDATED":
                    Assert.Equal(scheduler.FrameworkId, (string?)e["task_updated"]!["framework_id"]!["value"]);
                    taskStates.Add((string)e["task_updated"]!["state"]!);
                    break;
                case "FRAMEWORK_REMOVED":
                    Assert.Equal(scheduler.FrameworkId, (string?)e["framework_removed"]!["framework_info"]!["id"]!["value"]);
                    break;
            }
        }

        Assert.Equal(["AGENT_ADDED", "FRAMEWORK_ADDED", "TASK_ADDED"], seen.Where(s => s is "AGENT_ADDED" or "FRAMEWORK_ADDED" or "TASK_ADDED"));
        Assert.Contains("TASK_RUNNING", taskStates);
        Assert.Equal("TASK_FINISHED", taskStates[^1]);

        // Idle now: the stream carries heartbeats.
        Assert.Equal("HEARTBEAT", (string?)(await stream.NextAsync(ct))!["type"]);
        var metrics = await op.GetAsync("GET_METRICS", ct);
        Assert.Contains(metrics["metrics"]!.AsArray(), m => (string?)m!["name"] == "master/operator_event_stream_subscribers" && (double)m["value"]! == 1.0);
    }

    [Fact]
    public async Task BadOperatorCalls_GetMesosStatusCodesAndMessages_AndTheMasterKeepsServing()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);

        async Task Expect(int status, string message, HttpRequestMessage request)
        {
            using (request)
            {
                var (actualStatus, body) = await op.SendAsync(request, ct);
                Assert.True(status == actualStatus, $"expected {status}, got {actualStatus} ({body})");
                Assert.StartsWith(message, body, StringComparison.Ordinal);
            }
        }

        await Expect(405, "Expecting one of { 'POST' }, but received 'GET'", new HttpRequestMessage(HttpMethod.Get, "/api/v1"));
        await Expect(400, "Expecting 'Content-Type' to be present", new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = new ByteArrayContent("{}"u8.ToArray()) });
        await Expect(415, "Expecting 'Content-Type' of application/json", OperatorHttpClient.Request("""{"type":"GET_HEALTH"}""", "text/plain"));
        await Expect(400, "Failed to parse body into JSON", OperatorHttpClient.Request("""{"type":"GET_HEALTH" """));
        await Expect(400, "Failed to validate master::Call: Expecting 'type' to be present", OperatorHttpClient.Request("""{"type":"NO_SUCH_CALL"}"""));
        await Expect(400, "Failed to convert JSON into Call protobuf", OperatorHttpClient.Request("""{"type":17}"""));
        await Expect(400, "Failed to validate master::Call: Expecting 'teardown' to be present", OperatorHttpClient.Request("""{"type":"TEARDOWN"}"""));
        await Expect(400, "Failed to validate master::Call: Missing required fields: teardown.framework_id", OperatorHttpClient.Request("""{"type":"TEARDOWN","teardown":{}}"""));
        await Expect(400, "No framework found with specified ID", OperatorHttpClient.Request("""{"type":"TEARDOWN","teardown":{"framework_id":{"value":"nope"}}}"""));
        await Expect(400, "Failed to convert JSON into Call protobuf", OperatorHttpClient.Request("""{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"r"}]}}"""));
        // Found by the fuzz test (seed 2035024166): a quantity beyond what the core's fixed-point scalars hold.
        await Expect(400, "Failed to validate master::Call", OperatorHttpClient.Request("""{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"eng","limits":{"mem":{"value":18446744073709551616}}}]}}"""));
        // Found by the fuzz test (seed 1239273042): broken UTF-8 inside a property name.
        var brokenUtf8 = new HttpRequestMessage(HttpMethod.Post, "/api/v1")
        {
            Content = new ByteArrayContent([.. "{\"type\":\"UPDATE_QUOTA\",\"update_quota\":{\"fo"u8, 0xFF, .. "rce\":true}}"u8]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        await Expect(400, "Failed to parse body into JSON: invalid UTF-8 at byte 42", brokenUtf8);
        await Expect(501, "Received an unexpected 'UNKNOWN' call", OperatorHttpClient.Request("""{"type":"UNKNOWN"}"""));
        await Expect(404, "Agent 'a' not found", OperatorHttpClient.Request("""{"type":"MARK_AGENT_GONE","mark_agent_gone":{"agent_id":{"value":"a"}}}"""));
        await Expect(400, "Failed to validate master::Call: Missing required fields: mark_agent_gone.agent_id", OperatorHttpClient.Request("""{"type":"MARK_AGENT_GONE","mark_agent_gone":{}}"""));
        await Expect(400, "Unknown agent", OperatorHttpClient.Request("""{"type":"DRAIN_AGENT","drain_agent":{"agent_id":{"value":"a"}}}"""));

        var notAcceptable = OperatorHttpClient.Request("""{"type":"GET_HEALTH"}""");
        notAcceptable.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        await Expect(406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'", notAcceptable);

        Assert.True((bool)(await op.GetAsync("GET_HEALTH", ct))["healthy"]!);
    }

    [Fact]
    public async Task LegacyEndpoints_ServeMesosShapes()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(FrameworkInfo("legacy"), ct);
        await RunTaskAsync(scheduler, "legacy-task", "sleep 30", ct);
        await AcknowledgeUntilAsync(scheduler, "TASK_RUNNING", ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        async Task<JsonObject> Get(string path)
        {
            using var response = await http.GetAsync(path, ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
        }

        var state = await Get("/master/state");
        foreach (var alias in new[] { "/state", "/master/state.json", "/state.json" })
        {
            Assert.Equal(state["id"]!.ToJsonString(), (await Get(alias))["id"]!.ToJsonString());
        }

        Assert.Equal($"master@127.0.0.1:{master.Port}", (string?)state["pid"]);
        Assert.Equal(1, (int)state["activated_slaves"]!);
        var slave = state["slaves"]![0]!.AsObject();
        Assert.Equal(4.0, (double)slave["resources"]!["cpus"]!);
        Assert.Equal("[31000-32000]", (string?)slave["resources"]!["ports"]);
        Assert.Equal(0.5, (double)slave["used_resources"]!["cpus"]!);
        var framework = state["frameworks"]![0]!.AsObject();
        Assert.Equal("*", (string?)framework["role"]);
        var task = framework["tasks"]![0]!.AsObject();
        Assert.Equal("legacy-task", (string?)task["id"]);
        Assert.Equal((string?)slave["id"], (string?)task["slave_id"]);
        Assert.Equal("TASK_RUNNING", (string?)task["state"]);
        Assert.Equal(64.0, (double)task["resources"]!["mem"]!);

        var frameworks = await Get($"/master/frameworks?framework_id={scheduler.FrameworkId}");
        Assert.Single(frameworks["frameworks"]!.AsArray());
        Assert.Empty((await Get("/master/frameworks?framework_id=none"))["frameworks"]!.AsArray());
        var slaves = await Get("/master/slaves");
        Assert.Contains(slaves["slaves"]![0]!["used_resources_full"]!.AsArray(), r => (string?)r!["name"] == "cpus");
        Assert.Equal("legacy-task", (string?)(await Get("/master/tasks?task_id=legacy-task"))["tasks"]![0]!["id"]);
        Assert.Empty((await Get("/master/tasks?offset=1"))["tasks"]!.AsArray());
        Assert.Equal("*", (string?)(await Get("/master/roles"))["roles"]![0]!["name"]);

        var snapshot = await Get("/metrics/snapshot");
        Assert.Equal(1.0, (double)snapshot["master/elected"]!);
        Assert.Equal(1.0, (double)snapshot["master/tasks_running"]!);
        Assert.Equal(1.0, (double)snapshot["master/slave_registrations"]!);
        Assert.True((double)snapshot["master/uptime_secs"]! > 0);

        using var jsonp = await http.GetAsync("/master/state?jsonp=angular.callbacks._0", ct);
        var text = await jsonp.Content.ReadAsStringAsync(ct);
        Assert.StartsWith("angular.callbacks._0({", text, StringComparison.Ordinal);
        Assert.EndsWith("});", text, StringComparison.Ordinal);
        using var badJsonp = await http.GetAsync("/master/state?jsonp=alert(1)", ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badJsonp.StatusCode);
        using var badLimit = await http.GetAsync("/master/tasks?limit=-1", ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badLimit.StatusCode);
    }
}
