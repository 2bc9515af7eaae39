using System.Text.Json.Nodes;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// UPDATE_FRAMEWORK and offer operation feedback (RESERVE / LAUNCH with an id, RECONCILE_OPERATIONS,
/// ACKNOWLEDGE_OPERATION_STATUS) on <c>POST /api/v1/scheduler</c> of a real master, with real agents, over sockets.
/// </summary>
public sealed class SchedulerFrameworkCallsHttpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    private static JsonObject Info(string name, string? id = null, string? user = null, JsonArray? roles = null)
    {
        var info = new JsonObject { ["user"] = user ?? Environment.UserName, ["name"] = name, ["failover_timeout"] = 3600 };
        if (id is not null)
        {
            info["id"] = Id(id);
        }

        if (roles is not null)
        {
            info["roles"] = roles;
            info["capabilities"] = new JsonArray(new JsonObject { ["type"] = "MULTI_ROLE" });
        }

        return info;
    }

    private static JsonObject Scalar(string name, double value) =>
        new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    [Fact]
    public async Task UpdateFramework_Answers200_TheOperatorSeesFrameworkUpdated_AndAnUnchangedUpdateIsSilent()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var scheduler = new SchedulerHttpClient(master.Port);
        using var operatorClient = new OperatorHttpClient(master.Port);
        await scheduler.SubscribeAsync(Info("before"), ct);
        var stream = await operatorClient.SubscribeAsync(ct);
        Assert.Equal("SUBSCRIBED", (string?)(await stream.NextAsync(ct))!["type"]);

        var same = await scheduler.CallAsync("UPDATE_FRAMEWORK", new JsonObject { ["framework_info"] = Info("before", scheduler.FrameworkId) }, ct);
        Assert.Equal((200, string.Empty), same);

        var update = new JsonObject
        {
            ["framework_info"] = Info("after", scheduler.FrameworkId, roles: new JsonArray("eng", "ops")),
            ["suppressed_roles"] = new JsonArray("ops"),
        };
        Assert.Equal((200, string.Empty), await scheduler.CallAsync("UPDATE_FRAMEWORK", update, ct));

        // The unchanged update announced nothing: the first FRAMEWORK_UPDATED is the rename.
        JsonObject updated;
        do
        {
            updated = (await stream.NextAsync(ct))!;
        }
        while (Type(updated) is "HEARTBEAT" or "FRAMEWORK_ADDED");

        Assert.Equal("FRAMEWORK_UPDATED", Type(updated));
        var info = updated["framework_updated"]!["framework"]!["framework_info"]!;
        Assert.Equal("after", (string?)info["name"]);
        Assert.Equal(["eng", "ops"], info["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(scheduler.FrameworkId, (string?)info["id"]!["value"]);
    }

    [Fact]
    public async Task UpdateFramework_ReachesTheAgentsRunningTheFrameworksTasks()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(Info("agent-sees-it"), ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]!.AsArray()[0]!.AsObject();
        var agentId = (string)offer["agent_id"]!["value"]!;
        var task = new JsonObject
        {
            ["name"] = "sleeper",
            ["task_id"] = Id("sleeper"),
            ["agent_id"] = Id(agentId),
            ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32)),
            ["command"] = new JsonObject { ["value"] = "sleep 60" },
        };
        var accept = new JsonObject
        {
            ["offer_ids"] = new JsonArray(Id((string)offer["id"]!["value"]!)),
            ["operations"] = new JsonArray(new JsonObject { ["type"] = "LAUNCH", ["launch"] = new JsonObject { ["task_infos"] = new JsonArray(task) } }),
        };
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);
        // The agent sends a task's next update only once the one before is acknowledged.
        while (true)
        {
            var status = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
            var ack = new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id("sleeper"), ["uuid"] = (string)status["uuid"]! };
            Assert.Equal(202, (await scheduler.CallAsync("ACKNOWLEDGE", ack, ct)).Status);
            if ((string?)status["state"] == "TASK_RUNNING")
            {
                break;
            }
        }

        Assert.Equal((200, string.Empty), await scheduler.CallAsync("UPDATE_FRAMEWORK", new JsonObject { ["framework_info"] = Info("renamed-on-agent", scheduler.FrameworkId) }, ct));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.HttpPort}") };
        while (true)
        {
            var state = JsonNode.Parse(await http.GetStringAsync("/state", ct))!;
            var framework = state["frameworks"]!.AsArray().Single(f => (string?)f!["id"] == scheduler.FrameworkId)!;
            if ((string?)framework["name"] == "renamed-on-agent")
            {
                break;
            }

            Assert.Equal("agent-sees-it", (string?)framework["name"]);
            await Task.Delay(50, ct);
        }

        Assert.Equal(202, (await scheduler.CallAsync("TEARDOWN", null, ct)).Status);
    }

    [Fact]
    public async Task UpdateFramework_BadInput_GetsMesosStatusAndMessage_AndChangesNothing()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(Info("steady"), ct);
        var id = scheduler.FrameworkId;

        async Task Expect(int status, string body, JsonObject? payload)
        {
            var (actualStatus, actualBody) = await scheduler.CallAsync("UPDATE_FRAMEWORK", payload, ct);
            Assert.True(status == actualStatus, $"expected {status}, got {actualStatus} ({actualBody})");
            Assert.Equal(body, actualBody);
        }

        await Expect(400, "Failed to validate scheduler::Call: Expecting 'update_framework' to be present", null);
        await Expect(400, "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'",
            new JsonObject { ["framework_info"] = Info("steady", id + "-other") });
        await Expect(400, "Failed to convert JSON into Call protobuf: Missing required fields: update_framework.framework_info.user",
            new JsonObject { ["framework_info"] = new JsonObject { ["name"] = "x", ["id"] = Id(id) } });
        await Expect(400, $"Updating 'FrameworkInfo.user' is unsupported; attempted to update from '{Environment.UserName}' to 'someone-else'",
            new JsonObject { ["framework_info"] = Info("renamed", id, user: "someone-else") });
        var principal = Info("renamed", id);
        principal["principal"] = "intruder";
        await Expect(400, "Changing framework's principal is not allowed.", new JsonObject { ["framework_info"] = principal });
        var checkpoint = Info("renamed", id);
        checkpoint["checkpoint"] = true;
        await Expect(400, "Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from 'false' to 'true'", new JsonObject { ["framework_info"] = checkpoint });
        await Expect(400, "Suppressed role 'eng' is not contained in the list of roles",
            new JsonObject { ["framework_info"] = Info("renamed", id), ["suppressed_roles"] = new JsonArray("eng") });

        // Served from the projections, which follow the log: wait until they show the subscription.
        using var operatorClient = new OperatorHttpClient(master.Port);
        JsonArray? frameworks;
        while ((frameworks = (await operatorClient.GetAsync("GET_FRAMEWORKS", ct))["frameworks"]?.AsArray()) is not { Count: > 0 })
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal("steady", (string?)frameworks[0]!["framework_info"]!["name"]);
    }

    [Fact]
    public async Task OperationsWithIds_OnAnAgentWithoutResourceProviders_AreRefusedAsMesosRefusesThem_AndReconcileAnswersFromTheAgent()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        var info = Info("feedback");
        info["role"] = "eng";
        await scheduler.SubscribeAsync(info, ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]!.AsArray()[0]!.AsObject();
        var agentId = (string)offer["agent_id"]!["value"]!;
        var reserved = Scalar("cpus", 1);
        reserved["role"] = "eng";
        reserved["reservation"] = new JsonObject();
        var task = new JsonObject
        {
            ["name"] = "t",
            ["task_id"] = Id("with-id"),
            ["agent_id"] = Id(agentId),
            ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32)),
            ["command"] = new JsonObject { ["value"] = "true" },
        };
        var accept = new JsonObject
        {
            ["offer_ids"] = new JsonArray(Id((string)offer["id"]!["value"]!)),
            ["operations"] = new JsonArray(
                new JsonObject { ["type"] = "RESERVE", ["id"] = Id("reserve-1"), ["reserve"] = new JsonObject { ["resources"] = new JsonArray(reserved) } },
                new JsonObject { ["type"] = "LAUNCH", ["id"] = Id("launch-1"), ["launch"] = new JsonObject { ["task_infos"] = new JsonArray(task) } }),
        };
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);

        var operation = (await scheduler.NextAsync(e => Type(e) == "UPDATE_OPERATION_STATUS", ct))["update_operation_status"]!["status"]!.AsObject();
        Assert.Equal("reserve-1", (string?)operation["operation_id"]!["value"]);
        Assert.Equal("OPERATION_ERROR", (string?)operation["state"]);
        Assert.Equal(agentId, (string?)operation["agent_id"]!["value"]);
        Assert.Equal($"Operation requested feedback, but agent {agentId} does not have the required RESOURCE_PROVIDER capability", (string?)operation["message"]);
        Assert.Null(operation["uuid"]);

        var launch = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
        Assert.Equal("with-id", (string?)launch["task_id"]!["value"]);
        Assert.Equal("TASK_ERROR", (string?)launch["state"]);
        Assert.Equal("REASON_TASK_INVALID", (string?)launch["reason"]);
        Assert.Null(launch["uuid"]);

        var reconcile = new JsonObject
        {
            ["operations"] = new JsonArray(
                new JsonObject { ["operation_id"] = Id("reserve-1"), ["agent_id"] = Id(agentId) },
                new JsonObject { ["operation_id"] = Id("elsewhere"), ["agent_id"] = Id("no-such-agent") }),
        };
        Assert.Equal(202, (await scheduler.CallAsync("RECONCILE_OPERATIONS", reconcile, ct)).Status);
        var answers = new List<JsonObject>();
        while (answers.Count < 2)
        {
            answers.Add((await scheduler.NextAsync(e => Type(e) == "UPDATE_OPERATION_STATUS", ct))["update_operation_status"]!["status"]!.AsObject());
        }

        Assert.Equal(["reserve-1", "elsewhere"], answers.Select(a => (string)a["operation_id"]!["value"]!));
        Assert.All(answers, a => Assert.Equal("OPERATION_UNKNOWN", (string?)a["state"]));
        Assert.All(answers, a => Assert.Null(a["uuid"]));

        // Implicit reconciliation: the master tracks no operation of this framework, so nothing comes; an
        // acknowledgement of an unknown operation is accepted and dropped, as Mesos drops it.
        Assert.Equal(202, (await scheduler.CallAsync("RECONCILE_OPERATIONS", new JsonObject(), ct)).Status);
        var ack = new JsonObject { ["agent_id"] = Id(agentId), ["uuid"] = Convert.ToBase64String(new byte[16]), ["operation_id"] = Id("reserve-1") };
        Assert.Equal(202, (await scheduler.CallAsync("ACKNOWLEDGE_OPERATION_STATUS", ack, ct)).Status);
    }

    [Fact]
    public async Task OperationCalls_BadInput_GetMesosStatusAndMessage()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(Info("bad-operations"), ct);

        async Task Expect(int status, string body, string type, JsonObject? payload)
        {
            var (actualStatus, actualBody) = await scheduler.CallAsync(type, payload, ct);
            Assert.True(status == actualStatus, $"{type}: expected {status}, got {actualStatus} ({actualBody})");
            Assert.Equal(body, actualBody);
        }

        await Expect(400, "Failed to validate scheduler::Call: Expecting 'acknowledge_operation_status' to be present", "ACKNOWLEDGE_OPERATION_STATUS", null);
        await Expect(400, "Failed to validate scheduler::Call: Failed to parse UUID: uuid must be 16 bytes", "ACKNOWLEDGE_OPERATION_STATUS",
            new JsonObject { ["agent_id"] = Id("a"), ["uuid"] = Convert.ToBase64String(new byte[3]), ["operation_id"] = Id("op") });
        await Expect(400, "Failed to convert JSON into Call protobuf: Missing required fields: acknowledge_operation_status.operation_id", "ACKNOWLEDGE_OPERATION_STATUS",
            new JsonObject { ["agent_id"] = Id("a"), ["uuid"] = Convert.ToBase64String(new byte[16]) });
        await Expect(400, "Failed to validate scheduler::Call: Expecting 'reconcile_operations' to be present", "RECONCILE_OPERATIONS", null);
        await Expect(400, "Failed to convert JSON into Call protobuf: Missing required fields: reconcile_operations.operations.operation_id", "RECONCILE_OPERATIONS",
            new JsonObject { ["operations"] = new JsonArray(new JsonObject { ["agent_id"] = Id("a") }) });
        await Expect(400, "Failed to validate scheduler::Call: Expecting 'message' to be present", "MESSAGE", null);
        await Expect(400, "Failed to convert JSON into Call protobuf: Missing required fields: message.data", "MESSAGE",
            new JsonObject { ["agent_id"] = Id("a"), ["executor_id"] = Id("x") });
        await Expect(400, "Failed to validate scheduler::Call: Expecting 'shutdown' to be present", "SHUTDOWN", null);
        await Expect(400, "Failed to convert JSON into Call protobuf: Missing required fields: shutdown.agent_id", "SHUTDOWN",
            new JsonObject { ["executor_id"] = Id("x") });

        // Well formed but naming what is not there: accepted (202) and dropped, as Mesos answers before acting.
        await Expect(202, string.Empty, "MESSAGE", new JsonObject { ["agent_id"] = Id("a"), ["executor_id"] = Id("x"), ["data"] = "aGk=" });
        await Expect(202, string.Empty, "SHUTDOWN", new JsonObject { ["agent_id"] = Id("a"), ["executor_id"] = Id("x") });
    }
}
