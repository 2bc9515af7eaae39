using System.Text.Json.Nodes;
using Mesos.Agent;
using Mesos.Core.Agents;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// DRAIN_AGENT over Mesos' operator API, against a real master and agent and a scheduler speaking Mesos' v1 JSON API
/// (a raw HTTP client, as Mesos' documentation describes one).
/// </summary>
public sealed class DrainAgentHttpTests
{
    private const long TwoMinutes = 120_000_000_000;

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    private static JsonObject DrainCall(string agentId, JsonNode? maxGracePeriod, bool? markGone = null)
    {
        var drain = new JsonObject { ["agent_id"] = Id(agentId) };
        if (maxGracePeriod is not null)
        {
            drain["max_grace_period"] = maxGracePeriod;
        }

        if (markGone is { } gone)
        {
            drain["mark_gone"] = gone;
        }

        return new JsonObject { ["type"] = "DRAIN_AGENT", ["drain_agent"] = drain };
    }

    private static JsonObject AgentCall(string type, string agentId) =>
        new() { ["type"] = type, [type.ToLowerInvariant()] = new JsonObject { ["agent_id"] = Id(agentId) } };

    /// <summary>
    /// Subscribes, takes the first offer and launches a task that ignores SIGTERM and asks for a two-minute kill grace
    /// period: only the drain's max grace period can end it before the test's patience runs out. Returns the agent id.
    /// </summary>
    private static async Task<string> LaunchStubbornTaskAsync(SchedulerHttpClient scheduler, string name, string taskId, CancellationToken ct)
    {
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = Environment.UserName, ["name"] = name, ["failover_timeout"] = 3600 }, ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]![0]!.AsObject();
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
                            new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 0.1 } },
                            new JsonObject { ["name"] = "mem", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 32 } }),
                        ["command"] = new JsonObject { ["value"] = "trap '' TERM; sleep 600" },
                        ["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = TwoMinutes } },
                    }),
                },
            }),
            ["filters"] = new JsonObject { ["refuse_seconds"] = 0.1 },
        };
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);
        while (true)
        {
            var update = await NextUpdateAsync(scheduler, taskId, ct);
            Assert.Contains((string?)update["state"], new[] { "TASK_STARTING", "TASK_RUNNING" });
            await AcknowledgeAsync(scheduler, update, ct);
            if ((string?)update["state"] == "TASK_RUNNING")
            {
                return agentId;
            }
        }
    }

    private static async Task<JsonObject> NextUpdateAsync(SchedulerHttpClient scheduler, string taskId, CancellationToken ct, List<JsonObject>? seen = null) =>
        (await scheduler.NextAsync(e =>
        {
            seen?.Add(e);
            return Type(e) == "UPDATE" && (string?)e["update"]!["status"]!["task_id"]!["value"] == taskId;
        }, ct))["update"]!["status"]!.AsObject();

    private static async Task AcknowledgeAsync(SchedulerHttpClient scheduler, JsonObject status, CancellationToken ct)
    {
        var ack = new JsonObject { ["agent_id"] = status["agent_id"]!.DeepClone(), ["task_id"] = status["task_id"]!.DeepClone(), ["uuid"] = (string)status["uuid"]! };
        Assert.Equal(202, (await scheduler.CallAsync("ACKNOWLEDGE", ack, ct)).Status);
    }

    private static async Task<JsonObject> AgentAsync(OperatorHttpClient op, CancellationToken ct) =>
        Assert.Single((await op.GetAsync("GET_AGENTS", ct))["agents"]!.AsArray())!.AsObject();

    [Fact]
    public async Task Drain_KillsTheTaskWithAgentDraining_StopsOffers_IsDrainedAfterTheAck_AndReactivateOffersAgain()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);
        await using var agent = await TestAgent.StartAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        var agentId = await LaunchStubbornTaskAsync(scheduler, "drain-e2e", "stubborn", ct);

        var (status, body) = await op.CallAsync(DrainCall(agentId, "1s"), ct);
        Assert.True(status == 200, body);

        // Killed within the drain's one second rather than the task's two minutes, and said to be for the drain.
        var events = new List<JsonObject>();
        var killed = await NextUpdateAsync(scheduler, "stubborn", ct, events);
        Assert.Equal("TASK_KILLED", (string?)killed["state"]);
        Assert.Equal("REASON_AGENT_DRAINING", (string?)killed["reason"]);
        // An offer made before the drain took effect (the launch refused the rest for only 0.1 s) is rescinded by it.
        var offered = events.Where(e => Type(e) == "OFFERS").SelectMany(e => e["offers"]!["offers"]!.AsArray()).Select(o => (string?)o!["id"]!["value"]);
        var rescinded = events.Where(e => Type(e) == "RESCIND").Select(e => (string?)e["rescind"]!["offer_id"]!["value"]);
        Assert.Subset(rescinded.ToHashSet(), offered.ToHashSet());
        Assert.True(agent.Draining);

        // Until the framework acknowledges the kill, the agent is DRAINING, deactivated, and cannot be reactivated.
        var draining = await AgentAsync(op, ct);
        Assert.Equal("DRAINING", (string?)draining["drain_info"]!["state"]);
        Assert.Equal(1_000_000_000L, (long)draining["drain_info"]!["config"]!["max_grace_period"]!["nanoseconds"]!);
        Assert.False((bool)draining["drain_info"]!["config"]!["mark_gone"]!);
        Assert.True((long)draining["estimated_drain_start_time"]!["nanoseconds"]! > 0);
        Assert.True((bool)draining["deactivated"]!);
        Assert.False((bool)draining["active"]!);
        var slave = Assert.Single(JsonNode.Parse(await op.Http.GetStringAsync("/master/slaves", ct))!["slaves"]!.AsArray())!;
        Assert.Equal("DRAINING", (string?)slave["drain_info"]!["state"]);
        Assert.True((double)slave["estimated_drain_start_time_seconds"]! > 0);
        Assert.True((bool)slave["deactivated"]!);
        var early = await op.CallAsync(AgentCall("REACTIVATE_AGENT", agentId), ct);
        Assert.Equal(400, early.Status);
        Assert.Equal("Agent is still in the DRAINING state", early.Body);
        Assert.DoesNotContain(master.Server.State.Current.State.Offers.Values, o => o.AgentId == new AgentId(agentId));

        await AcknowledgeAsync(scheduler, killed, ct);
        while ((string?)(await AgentAsync(op, ct))["drain_info"]!["state"] != "DRAINED")
        {
            await Task.Delay(50, ct);
        }

        var state = (await op.GetAsync("GET_STATE", ct))["get_agents"]!["agents"]![0]!;
        Assert.Equal("DRAINED", (string?)state["drain_info"]!["state"]);
        while (agent.Draining)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(200, (await op.CallAsync(AgentCall("REACTIVATE_AGENT", agentId), ct)).Status);
        var reactivated = await AgentAsync(op, ct);
        Assert.Null(reactivated["drain_info"]);
        Assert.Null(reactivated["estimated_drain_start_time"]);
        Assert.False((bool)reactivated["deactivated"]!);
        var offers = await scheduler.NextAsync(e => Type(e) == "OFFERS", ct);
        Assert.Equal(agentId, (string?)offers["offers"]!["offers"]![0]!["agent_id"]!["value"]);
    }

    [Fact]
    public async Task DrainWithMarkGone_MarksTheAgentGoneOnceDrained_AndShutsItDown()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);
        await using var agent = await TestAgent.StartAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        var agentId = await LaunchStubbornTaskAsync(scheduler, "drain-gone", "doomed", ct);

        Assert.Equal(200, (await op.CallAsync(DrainCall(agentId, new JsonObject { ["seconds"] = 0 }, markGone: true), ct)).Status);
        var killed = await NextUpdateAsync(scheduler, "doomed", ct);
        Assert.Equal("TASK_KILLED", (string?)killed["state"]);
        Assert.Equal("REASON_AGENT_DRAINING", (string?)killed["reason"]);
        Assert.True((bool)(await AgentAsync(op, ct))["drain_info"]!["config"]!["mark_gone"]!);

        await AcknowledgeAsync(scheduler, killed, ct);
        await agent.Detached.WaitAsync(ct);
        Assert.Contains("marked gone", agent.ShutdownReason, StringComparison.Ordinal);
        Assert.Null((await op.GetAsync("GET_AGENTS", ct))["agents"]);
        Assert.Equal(AgentStatus.Removed, master.Server.State.Current.State.Agents[new AgentId(agentId)].Status);
        var again = await op.CallAsync(DrainCall(agentId, null), ct);
        Assert.Equal(400, again.Status);
        Assert.Equal("Unknown agent", again.Body);
    }

    [Fact]
    public async Task DrainSurvivesAMasterRestart_AndTheAgentIsToldToDrainAgainWhenItComesBack()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = cts.Token;
        var masterDir = TempDirectory.Create("drain-master");
        var agentDir = TempDirectory.Create("drain-agent");
        var port = MasterProcess.FreePort();
        var master = await TestMaster.StartAsync(masterDir, o => o with { Port = port });
        string agentId;
        try
        {
            using var op = new OperatorHttpClient(port);
            var agent = await AgentRuntime.StartAsync(TestAgent.Options([$"127.0.0.1:{port}"], agentDir) with { KillTasksOnStop = false });
            await agent.WaitForRegistrationAsync(ct);
            using (var scheduler = new SchedulerHttpClient(port))
            {
                agentId = await LaunchStubbornTaskAsync(scheduler, "drain-failover", "survivor", ct);
            }

            // The agent goes away (its task keeps running for the next agent to recover), then is drained while away.
            await agent.StopAsync(ct);
            while (master.Server.State.Current.State.Agents[new AgentId(agentId)].Status == AgentStatus.Active)
            {
                await Task.Delay(50, ct);
            }

            Assert.Equal(200, (await op.CallAsync(DrainCall(agentId, "0.5s"), ct)).Status);
            Assert.Equal("DRAINING", (string?)(await AgentAsync(op, ct))["drain_info"]!["state"]);
        }
        finally
        {
            await master.DisposeAsync();
        }

        await using var restarted = await TestMaster.StartAsync(masterDir, o => o with { Port = port });
        using var op2 = new OperatorHttpClient(port);
        var drain = restarted.Server.State.Current.State.Agents[new AgentId(agentId)].Drain;
        Assert.Equal(DrainState.Draining, drain?.State);
        Assert.Equal(500_000_000L, drain?.MaxGracePeriodNanoseconds);

        await using var back = await AgentRuntime.StartAsync(TestAgent.Options([$"127.0.0.1:{port}"], agentDir));
        Assert.Equal(agentId, await back.WaitForRegistrationAsync(ct));
        while (!restarted.Server.State.Current.State.Tasks.Values.Any(t => t.Key.TaskId.Value == "survivor" && t.State == TaskState.Killed))
        {
            await Task.Delay(50, ct);
        }

        var task = restarted.Server.State.Current.State.Tasks.Values.Single(t => t.Key.TaskId.Value == "survivor");
        Assert.Equal(TaskReason.AgentDraining, task.Statuses[^1].Reason);
        var listed = await AgentAsync(op2, ct);
        Assert.Equal("DRAINING", (string?)listed["drain_info"]!["state"]);
        Assert.True((bool)listed["deactivated"]!);
    }

    [Fact]
    public async Task BadDrainCalls_GetMesosStatusAndMessage()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);

        async Task Expect(int status, string message, JsonObject call)
        {
            var (actual, body) = await op.CallAsync(call, ct);
            Assert.Equal(status, actual);
            Assert.Equal(message, body);
        }

        await Expect(400, "Failed to validate master::Call: Expecting 'drain_agent' to be present", new JsonObject { ["type"] = "DRAIN_AGENT" });
        await Expect(400, "Failed to validate master::Call: Missing required fields: drain_agent.agent_id",
            new JsonObject { ["type"] = "DRAIN_AGENT", ["drain_agent"] = new JsonObject { ["max_grace_period"] = "10s" } });
        await Expect(400, "Unknown agent", DrainCall("no-such-agent", "600s"));
        await Expect(400, "Unknown agent", DrainCall("no-such-agent", new JsonObject { ["seconds"] = 600 }, markGone: true));
        await Expect(400, "Failed to convert JSON into Call protobuf: Invalid duration format for field 'drain_agent.max_grace_period': 'ten minutes'",
            DrainCall("a", "ten minutes"));
        await Expect(400, "Failed to convert JSON into Call protobuf: Invalid duration format for field 'drain_agent.max_grace_period': '600'",
            DrainCall("a", "600"));
        await Expect(400, "Failed to convert JSON into Call protobuf: Not expecting a JSON value other than a string for field 'drain_agent.max_grace_period'",
            DrainCall("a", 600));
        await Expect(400, "Failed to convert JSON into Call protobuf: Not expecting a JSON value other than a boolean for field 'drain_agent.mark_gone'",
            new JsonObject { ["type"] = "DRAIN_AGENT", ["drain_agent"] = new JsonObject { ["agent_id"] = Id("a"), ["mark_gone"] = "yes" } });

        // The protobuf encoding carries a google.protobuf.Duration; it reaches the same validation.
        var call = new Protocol.Wire.Master.Call
        {
            Type = Protocol.Wire.Master.Call.Types.Type.DrainAgent,
            DrainAgent = new Protocol.Wire.Master.Call.Types.DrainAgent
            {
                AgentId = new Protocol.Wire.AgentID { Value = "no-such-agent" },
                MaxGracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(call)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
        var (protobufStatus, protobufBody) = await op.SendAsync(request, ct);
        Assert.Equal(400, protobufStatus);
        Assert.Equal("Unknown agent", protobufBody);

        // A Duration whose seconds and nanos disagree in sign has no JSON form: a bad request, not a server error.
        call.DrainAgent.MaxGracePeriod = new Google.Protobuf.WellKnownTypes.Duration { Seconds = 1, Nanos = -5 };
        var skewed = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(call)) };
        skewed.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
        var (skewedStatus, skewedBody) = await op.SendAsync(skewed, ct);
        Assert.Equal(400, skewedStatus);
        Assert.StartsWith("Failed to parse body into Call protobuf: ", skewedBody, StringComparison.Ordinal);
    }
}
