using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Mesos.Agent;
using Mesos.Tests.Integration;
using Wire = Mesos.Protocol.Wire;
using WireExecutor = Mesos.Protocol.Wire.Executor;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Mesos' v1 executor HTTP API on a real agent: a custom executor (a Python script written from Mesos' documentation)
/// launched through a scheduler on the v1 scheduler HTTP API, and the endpoint's answers to bad calls.
/// </summary>
public sealed class ExecutorHttpApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static string ExecutorScript => Path.Combine(AppContext.BaseDirectory, "Api", "Http", "Executor", "test_executor.py");

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    private static Task<AgentRuntime> StartAgentAsync(int masterPort, TimeSpan? registrationTimeout = null, TimeSpan? heartbeatInterval = null) =>
        AgentRuntime.StartAsync(TestAgent.Options([$"127.0.0.1:{masterPort}"], TempDirectory.Create("agent")) with
        {
            ExecutorRegistrationTimeout = registrationTimeout ?? TimeSpan.FromMinutes(1),
            ExecutorHeartbeatInterval = heartbeatInterval ?? TimeSpan.FromMinutes(30),
        });

    private static JsonObject Scalar(string name, double value) =>
        new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    /// <summary>Subscribes a framework, waits for an offer and launches one task on a custom executor running <paramref name="command"/>.</summary>
    private static async Task<string> LaunchOnExecutorAsync(SchedulerHttpClient scheduler, string taskId, string executorId, string command, CancellationToken ct)
    {
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = Environment.UserName, ["name"] = "custom-executor" }, ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]!.AsArray()[0]!.AsObject();
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
                        ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32)),
                        ["executor"] = new JsonObject
                        {
                            ["type"] = "CUSTOM",
                            ["executor_id"] = Id(executorId),
                            ["name"] = "test executor",
                            ["command"] = new JsonObject { ["value"] = command },
                            ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32)),
                        },
                    }),
                },
            }),
        };
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);
        return agentId;
    }

    private static async Task<JsonObject> AcknowledgedUpdateAsync(SchedulerHttpClient scheduler, string agentId, CancellationToken ct)
    {
        var status = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
        if (status["uuid"] is { } uuid)
        {
            var ack = new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = status["task_id"]!.DeepClone(), ["uuid"] = (string)uuid! };
            Assert.Equal(202, (await scheduler.CallAsync("ACKNOWLEDGE", ack, ct)).Status);
        }

        return status;
    }

    private static string Sandbox(AgentRuntime agent, string agentId, string frameworkId, string executorId) =>
        Path.Combine(agent.Options.WorkDir, "slaves", agentId, "frameworks", frameworkId, "executors", executorId, "runs", "latest");

    private static async Task<string> WaitForLogAsync(string path, string line, CancellationToken ct)
    {
        while (true)
        {
            var text = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : string.Empty;
            if (text.Split('\n').Contains(line))
            {
                return text;
            }

            await Task.Delay(50, ct);
        }
    }

    [Fact]
    public async Task SchedulerMessage_ReachesTheExecutor_ItsAnswerReachesTheScheduler_AndShutdownEndsTheExecutorWithAFailure()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);

        var agentId = await LaunchOnExecutorAsync(scheduler, "chatty", "py-echo", $"exec python3 '{ExecutorScript}'", ct);
        while ((string?)(await AcknowledgedUpdateAsync(scheduler, agentId, ct))["state"] != "TASK_FINISHED")
        {
        }

        var message = new JsonObject { ["agent_id"] = Id(agentId), ["executor_id"] = Id("py-echo"), ["data"] = Convert.ToBase64String("ping \u00e9"u8) };
        Assert.Equal(202, (await scheduler.CallAsync("MESSAGE", message, ct)).Status);
        var echoed = (await scheduler.NextAsync(e => Type(e) == "MESSAGE", ct))["message"]!.AsObject();
        Assert.Equal(agentId, (string?)echoed["agent_id"]!["value"]);
        Assert.Equal("py-echo", (string?)echoed["executor_id"]!["value"]);
        Assert.Equal("echo ping \u00e9", Encoding.UTF8.GetString(Convert.FromBase64String((string)echoed["data"]!)));
        var stdout = Path.Combine(Sandbox(agent, agentId, scheduler.FrameworkId, "py-echo"), "stdout");
        await WaitForLogAsync(stdout, "EVENT MESSAGE ping \u00e9", ct);

        var shutdown = new JsonObject { ["executor_id"] = Id("py-echo"), ["agent_id"] = Id(agentId) };
        Assert.Equal(202, (await scheduler.CallAsync("SHUTDOWN", shutdown, ct)).Status);
        await WaitForLogAsync(stdout, "EVENT SHUTDOWN", ct);
        var failure = (await scheduler.NextAsync(e => Type(e) == "FAILURE", ct))["failure"]!.AsObject();
        Assert.Equal(agentId, (string?)failure["agent_id"]!["value"]);
        Assert.Equal("py-echo", (string?)failure["executor_id"]!["value"]);
        Assert.Equal(0, (int)failure["status"]!);
    }

    [Fact]
    public async Task CustomExecutor_SubscribesRunsItsTaskGetsBothUpdatesAcknowledgedAndHeartbeatsAndIsShutDownOnTeardown()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await StartAgentAsync(master.Port, heartbeatInterval: TimeSpan.FromMilliseconds(200));
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);

        var agentId = await LaunchOnExecutorAsync(scheduler, "hello", "py-executor", $"exec python3 '{ExecutorScript}'", ct);
        var updates = new List<JsonObject>();
        while (updates.Count == 0 || (string?)updates[^1]["state"] != "TASK_FINISHED")
        {
            updates.Add(await AcknowledgedUpdateAsync(scheduler, agentId, ct));
        }

        // The executor's uuids and source reach the framework as it sent them.
        Assert.All(updates, u => Assert.Equal(16, Convert.FromBase64String((string)u["uuid"]!).Length));
        Assert.All(updates, u => Assert.Equal("SOURCE_EXECUTOR", (string?)u["source"]));
        Assert.All(updates, u => Assert.Equal("py-executor", (string?)u["executor_id"]?["value"]));

        var sandbox = Sandbox(agent, agentId, scheduler.FrameworkId, "py-executor");
        var stdout = Path.Combine(sandbox, "stdout");
        await WaitForLogAsync(stdout, "EVENT ACKNOWLEDGED hello TASK_FINISHED", ct);
        await WaitForLogAsync(stdout, "EVENT HEARTBEAT", ct);

        Assert.Equal(202, (await scheduler.CallAsync("TEARDOWN", null, ct)).Status);
        while (await scheduler.Events!.NextAsync(ct) is { } late)
        {
            if (Type(late) == "UPDATE")
            {
                updates.Add(late["update"]!["status"]!.AsObject());
            }
        }

        Assert.Equal(["TASK_RUNNING", "TASK_FINISHED"], updates.Select(u => (string)u["state"]!));

        var log = (await WaitForLogAsync(stdout, "EVENT SHUTDOWN", ct)).Split('\n');
        var run = Path.Combine(Path.GetDirectoryName(sandbox)!, new DirectoryInfo(sandbox).LinkTarget!);
        Assert.Contains($"EVENT SUBSCRIBED executor=py-executor framework={scheduler.FrameworkId} agent={agentId}", log);
        Assert.Contains($"ENV MESOS_DIRECTORY={run}", log);
        Assert.Contains($"ENV MESOS_SANDBOX={run}", log);
        Assert.Contains("ENV MESOS_CHECKPOINT=0 MESOS_HTTP_COMMAND_EXECUTOR=0 MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD=5secs", log);
        Assert.Contains($"ENV MESOS_AGENT_ENDPOINT=127.0.0.1:{agent.HttpPort}", log);
        Assert.Single(log, l => l == "EVENT LAUNCH hello");
        Assert.Equal(
            ["EVENT ACKNOWLEDGED hello TASK_RUNNING", "EVENT ACKNOWLEDGED hello TASK_FINISHED"],
            log.Where(l => l.StartsWith("EVENT ACKNOWLEDGED", StringComparison.Ordinal)));
        Assert.Equal("EVENT SHUTDOWN", log.Last(l => l.StartsWith("EVENT ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ExecutorThatNeverSubscribes_IsKilledAfterTheRegistrationTimeout_AndItsTaskFails()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await StartAgentAsync(master.Port, registrationTimeout: TimeSpan.FromSeconds(1));
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);

        var agentId = await LaunchOnExecutorAsync(scheduler, "stuck", "silent", "sleep 60", ct);
        var status = await AcknowledgedUpdateAsync(scheduler, agentId, ct);

        Assert.Equal("TASK_FAILED", (string?)status["state"]);
        Assert.Equal("REASON_EXECUTOR_REGISTRATION_TIMEOUT", (string?)status["reason"]);
        Assert.Equal("SOURCE_AGENT", (string?)status["source"]);
        Assert.Equal("Executor did not register within 1secs", (string?)status["message"]);
    }

    [Fact]
    public async Task ExecutorEndpoint_RefusesBadCallsWithMesosStatusCodes_ThenServesProtobuf()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        var agentId = await LaunchOnExecutorAsync(scheduler, "manual", "by-hand", "sleep 60", ct);
        var framework = scheduler.FrameworkId;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.HttpPort}"), Timeout = Timeout.InfiniteTimeSpan };

        async Task<(int Status, string Body)> PostAsync(string body, string? contentType = "application/json", string? accept = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/executor") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }

            using var response = await http.SendAsync(request, ct);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }

        string Call(string executor, string frameworkId, string type, JsonObject? payload = null)
        {
            var call = new JsonObject { ["executor_id"] = Id(executor), ["framework_id"] = Id(frameworkId), ["type"] = type };
            if (payload is not null)
            {
                call[type.ToLowerInvariant()] = payload;
            }

            return call.ToJsonString();
        }

        JsonObject Update(string source) => new()
        {
            ["status"] = new JsonObject
            {
                ["task_id"] = Id("manual"),
                ["state"] = "TASK_RUNNING",
                ["source"] = source,
                ["uuid"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            },
        };

        using (var get = await http.GetAsync("/api/v1/executor", ct))
        {
            Assert.Equal(405, (int)get.StatusCode);
        }

        Assert.Equal((400, "Expecting 'Content-Type' to be present"), await PostAsync("{}", contentType: null));
        Assert.Equal((415, "Expecting 'Content-Type' of application/json or application/x-protobuf"), await PostAsync("{}", "text/plain"));
        var malformed = await PostAsync("{\"type\": \"SUBSCRIBE\",");
        Assert.Equal(400, malformed.Status);
        Assert.StartsWith("Failed to parse body into JSON: ", malformed.Body);
        var mistyped = await PostAsync("{\"type\": \"SUBSCRIBE\", \"executor_id\": 7}");
        Assert.Equal(400, mistyped.Status);
        Assert.StartsWith("Failed to convert JSON into Call protobuf: ", mistyped.Body);
        Assert.Equal((400, "Failed to validate Executor::Call: Not initialized: framework_id"), await PostAsync("{\"type\": \"SUBSCRIBE\", \"executor_id\": {\"value\": \"by-hand\"}, \"subscribe\": {}}"));
        Assert.Equal((400, "Failed to validate Executor::Call: Expecting 'subscribe' to be present"), await PostAsync(Call("by-hand", framework, "SUBSCRIBE")));
        var agentSource = await PostAsync(Call("by-hand", framework, "UPDATE", Update("SOURCE_AGENT")));
        Assert.Equal(400, agentSource.Status);
        Assert.EndsWith("with invalid source, expecting 'SOURCE_EXECUTOR'", agentSource.Body);
        Assert.Equal((400, "Framework cannot be found"), await PostAsync(Call("by-hand", "no-such-framework", "SUBSCRIBE", new JsonObject())));
        Assert.Equal((400, "Executor cannot be found"), await PostAsync(Call("no-such-executor", framework, "SUBSCRIBE", new JsonObject())));
        Assert.Equal((403, "Executor is not subscribed"), await PostAsync(Call("by-hand", framework, "UPDATE", Update("SOURCE_EXECUTOR"))));
        Assert.Equal((406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"), await PostAsync(Call("by-hand", framework, "SUBSCRIBE", new JsonObject()), accept: "text/html"));

        // The same executor subscribes over protobuf (standing in for the one that sleeps): SUBSCRIBED, then its queued LAUNCH.
        var subscribe = new WireExecutor.Call
        {
            ExecutorId = new Wire.ExecutorID { Value = "by-hand" },
            FrameworkId = new Wire.FrameworkID { Value = framework },
            Type = WireExecutor.Call.Types.Type.Subscribe,
            Subscribe = new WireExecutor.Call.Types.Subscribe(),
        };
        using var subscribeRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/executor") { Content = new ByteArrayContent(subscribe.ToByteArray()) };
        subscribeRequest.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        subscribeRequest.Headers.Accept.ParseAdd("application/x-protobuf");
        using var stream = await http.SendAsync(subscribeRequest, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(200, (int)stream.StatusCode);
        Assert.Equal("application/x-protobuf", stream.Content.Headers.ContentType?.MediaType);
        var events = new RecordIoReader(await stream.Content.ReadAsStreamAsync(ct));
        var subscribed = WireExecutor.Event.Parser.ParseFrom(await events.NextBytesAsync(ct));
        Assert.Equal(WireExecutor.Event.Types.Type.Subscribed, subscribed.Type);
        Assert.Equal("by-hand", subscribed.Subscribed.ExecutorInfo.ExecutorId.Value);
        Assert.Equal(framework, subscribed.Subscribed.FrameworkInfo.Id.Value);
        Assert.Equal(agentId, subscribed.Subscribed.AgentInfo.Id.Value);
        Assert.False(string.IsNullOrEmpty(subscribed.Subscribed.ContainerId.Value));
        var launch = WireExecutor.Event.Parser.ParseFrom(await events.NextBytesAsync(ct));
        Assert.Equal(WireExecutor.Event.Types.Type.Launch, launch.Type);
        Assert.Equal("manual", launch.Launch.Task.TaskId.Value);
        Assert.Equal("by-hand", launch.Launch.Task.Executor.ExecutorId.Value);

        var uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        var update = new WireExecutor.Call
        {
            ExecutorId = subscribe.ExecutorId,
            FrameworkId = subscribe.FrameworkId,
            Type = WireExecutor.Call.Types.Type.Update,
            Update = new WireExecutor.Call.Types.Update
            {
                Status = new Wire.TaskStatus
                {
                    TaskId = new Wire.TaskID { Value = "manual" },
                    State = Wire.TaskState.TaskRunning,
                    Source = Wire.TaskStatus.Types.Source.Executor,
                    Uuid = uuid,
                },
            },
        };
        using var updateRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/executor") { Content = new ByteArrayContent(update.ToByteArray()) };
        updateRequest.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using (var accepted = await http.SendAsync(updateRequest, ct))
        {
            Assert.Equal(202, (int)accepted.StatusCode);
        }

        var acknowledged = WireExecutor.Event.Parser.ParseFrom(await events.NextBytesAsync(ct));
        Assert.Equal(WireExecutor.Event.Types.Type.Acknowledged, acknowledged.Type);
        Assert.Equal("manual", acknowledged.Acknowledged.TaskId.Value);
        Assert.Equal(uuid, acknowledged.Acknowledged.Uuid);

        var running = await AcknowledgedUpdateAsync(scheduler, agentId, ct);
        Assert.Equal("TASK_RUNNING", (string?)running["state"]);
        Assert.Equal(Convert.ToBase64String(uuid.ToByteArray()), (string?)running["uuid"]);

        // The framework's KILL reaches the executor as KILL.
        Assert.Equal(202, (await scheduler.CallAsync("KILL", new JsonObject { ["task_id"] = Id("manual"), ["agent_id"] = Id(agentId) }, ct)).Status);
        var kill = WireExecutor.Event.Parser.ParseFrom(await events.NextBytesAsync(ct));
        Assert.Equal(WireExecutor.Event.Types.Type.Kill, kill.Type);
        Assert.Equal("manual", kill.Kill.TaskId.Value);
    }
}
