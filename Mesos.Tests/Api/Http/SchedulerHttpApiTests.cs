using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>Mesos' v1 scheduler HTTP API against a real master and agent, driven as Mesos' documentation describes it.</summary>
public sealed class SchedulerHttpApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static JsonObject FrameworkInfo(string name, double failoverTimeout = 0) => new()
    {
        ["user"] = Environment.UserName,
        ["name"] = name,
        ["failover_timeout"] = failoverTimeout,
        ["unknown_field_is_ignored"] = new JsonObject { ["x"] = 1 },
        ["hostname"] = null,
    };

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    [Fact]
    public async Task CommandTask_SubscribeOffersLaunchUpdatesAcknowledgeReconcileTeardown()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);

        var subscribed = await scheduler.SubscribeAsync(FrameworkInfo("http-e2e"), ct);
        Assert.Equal(15.0, (double)subscribed["subscribed"]!["heartbeat_interval_seconds"]!);
        Assert.Equal(master.Port, (int)subscribed["subscribed"]!["master_info"]!["port"]!);
        Assert.Equal(16777343u, (uint)subscribed["subscribed"]!["master_info"]!["ip"]!);

        var offers = await scheduler.NextAsync(e => Type(e) == "OFFERS", ct);
        var offer = offers["offers"]!["offers"]!.AsArray()[0]!.AsObject();
        Assert.Equal("127.0.0.1", (string?)offer["hostname"]);
        Assert.Equal("*", (string?)offer["allocation_info"]!["role"]);
        Assert.Equal(scheduler.FrameworkId, (string?)offer["framework_id"]!["value"]);

        // Mesos' url names the agent's process: http, its hostname, the IP it connected from and its port, /slave(1).
        var url = offer["url"]!.AsObject();
        Assert.Equal(["scheme", "address", "path"], url.Select(p => p.Key));
        Assert.Equal("http", (string?)url["scheme"]);
        Assert.Equal("127.0.0.1", (string?)url["address"]!["hostname"]);
        Assert.Equal("127.0.0.1", (string?)url["address"]!["ip"]);
        Assert.Equal(agent.HttpPort, (int)url["address"]!["port"]!);
        Assert.Equal("/slave(1)", (string?)url["path"]);
        var resources = offer["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var cpus = resources.Single(r => (string?)r["name"] == "cpus");
        Assert.Equal("SCALAR", (string?)cpus["type"]);
        Assert.Equal(4.0, (double)cpus["scalar"]!["value"]!);
        var ports = resources.Single(r => (string?)r["name"] == "ports");
        Assert.Equal("RANGES", (string?)ports["type"]);
        Assert.Equal(31000, (long)ports["ranges"]!["range"]![0]!["begin"]!);
        Assert.Equal(32000, (long)ports["ranges"]!["range"]![0]!["end"]!);

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
                        ["name"] = "hello",
                        ["task_id"] = Id("hello"),
                        ["agent_id"] = Id(agentId),
                        ["resources"] = new JsonArray(
                            new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 0.1 } },
                            new JsonObject { ["name"] = "mem", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 32 } }),
                        ["command"] = new JsonObject { ["value"] = "echo hello" },
                    }),
                },
            }),
            ["filters"] = new JsonObject { ["refuse_seconds"] = 1 },
        };
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);

        var states = new List<string>();
        while (states.LastOrDefault() != "TASK_FINISHED")
        {
            var update = await scheduler.NextAsync(e => Type(e) == "UPDATE", ct);
            var status = update["update"]!["status"]!.AsObject();
            Assert.Equal("hello", (string?)status["task_id"]!["value"]);
            Assert.Equal(agentId, (string?)status["agent_id"]!["value"]);
            var uuid = Convert.FromBase64String((string)status["uuid"]!);
            Assert.Equal(16, uuid.Length);
            states.Add((string)status["state"]!);

            var ack = new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id("hello"), ["uuid"] = (string)status["uuid"]! };
            Assert.Equal(202, (await scheduler.CallAsync("ACKNOWLEDGE", ack, ct)).Status);
        }

        Assert.Contains("TASK_RUNNING", states);

        var reconcile = new JsonObject { ["tasks"] = new JsonArray(new JsonObject { ["task_id"] = Id("hello"), ["agent_id"] = Id(agentId) }) };
        Assert.Equal(202, (await scheduler.CallAsync("RECONCILE", reconcile, ct)).Status);
        var answer = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
        Assert.Equal("TASK_FINISHED", (string?)answer["state"]);
        Assert.Equal("REASON_RECONCILIATION", (string?)answer["reason"]);
        Assert.Null(answer["uuid"]);

        // Implicit: the acknowledged terminal task is gone from the master, so there is nothing to answer.
        Assert.Equal(202, (await scheduler.CallAsync("RECONCILE", new JsonObject(), ct)).Status);

        Assert.Equal(202, (await scheduler.CallAsync("TEARDOWN", null, ct)).Status);
        while (await scheduler.Events!.NextAsync(ct) is not null)
        {
        }

        var (status404, body) = await scheduler.CallAsync("REVIVE", null, ct);
        Assert.Equal(400, status404);
        Assert.Equal("Framework cannot be found", body);
    }

    [Fact]
    public async Task AnIdleStream_CarriesHeartbeatsAtTheConfiguredInterval()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var master = await TestMaster.StartAsync(configure: o => o with { FrameworkHeartbeatInterval = TimeSpan.FromMilliseconds(200) });
        using var scheduler = new SchedulerHttpClient(master.Port);
        var subscribed = await scheduler.SubscribeAsync(FrameworkInfo("heartbeats"), cts.Token);

        Assert.Equal(0.2, (double)subscribed["subscribed"]!["heartbeat_interval_seconds"]!);
        Assert.Equal("""{"type":"HEARTBEAT"}""", (await scheduler.Events!.NextAsync(cts.Token))!.ToJsonString());
    }

    [Fact]
    public async Task ResubscribingWithTheSameFrameworkId_ClosesTheOldStreamWithAnError_AndOnlyTheNewStreamIdWorks()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var first = new SchedulerHttpClient(master.Port);
        await first.SubscribeAsync(FrameworkInfo("failover", failoverTimeout: 3600), ct);
        using var second = new SchedulerHttpClient(master.Port);
        var info = FrameworkInfo("failover", failoverTimeout: 3600);
        info["id"] = Id(first.FrameworkId);

        await second.SubscribeAsync(info, ct);

        Assert.Equal(first.FrameworkId, second.FrameworkId);
        Assert.NotEqual(first.StreamId, second.StreamId);
        Assert.Equal("ERROR", Type(await first.NextAsync(e => Type(e) != "HEARTBEAT", ct)));
        Assert.Null(await first.Events!.NextAsync(ct));
        Assert.Equal(400, (await first.CallAsync("REVIVE", null, ct)).Status);
        Assert.Equal(202, (await second.CallAsync("REVIVE", null, ct)).Status);
    }

    [Fact]
    public async Task AcceptingAnOfferTwice_Answers202_AndTheSecondTaskIsLostWithInvalidOffers()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(FrameworkInfo("twice"), ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]![0]!.AsObject();
        var agentId = (string)offer["agent_id"]!["value"]!;

        JsonObject Launch(string taskId, double cpus) => new()
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
                        ["resources"] = new JsonArray(new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = cpus } }),
                        ["command"] = new JsonObject { ["value"] = "sleep 30" },
                    }),
                },
            }),
        };

        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", Launch("first", 0.5), ct)).Status);
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", Launch("second", 0.5), ct)).Status);
        var lost = (await scheduler.NextAsync(e => Type(e) == "UPDATE" && (string?)e["update"]!["status"]!["task_id"]!["value"] == "second", ct))["update"]!["status"]!;
        Assert.Equal("TASK_LOST", (string?)lost["state"]);
        Assert.Equal("REASON_INVALID_OFFERS", (string?)lost["reason"]);
        Assert.Equal("SOURCE_MASTER", (string?)lost["source"]);
        Assert.Null(lost["uuid"]);
    }

    [Fact]
    public async Task BadRequests_GetMesosStatusCodesAndMessages_AndTheMasterKeepsServing()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var scheduler = new SchedulerHttpClient(master.Port);
        const string subscribe = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}""";

        async Task Expect(int status, string message, HttpRequestMessage request)
        {
            using (request)
            {
                var (actualStatus, body) = await scheduler.SendAsync(request, ct);
                Assert.True(status == actualStatus, $"expected {status}, got {actualStatus} ({body})");
                Assert.StartsWith(message, body, StringComparison.Ordinal);
            }
        }

        await Expect(405, "Expecting one of { 'POST' }, but received 'GET'", new HttpRequestMessage(HttpMethod.Get, "/api/v1/scheduler"));
        await Expect(400, "Expecting 'Content-Type' to be present", new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = new ByteArrayContent("{}"u8.ToArray()) });
        await Expect(415, "Expecting 'Content-Type' of application/json", SchedulerHttpClient.Request(subscribe, "text/plain"));
        await Expect(400, "Failed to parse body into JSON", SchedulerHttpClient.Request("{\"type\": \"SUBSCRIBE\""));
        await Expect(400, "Failed to parse body into JSON", SchedulerHttpClient.Request("[1,2]"));
        await Expect(400, "Failed to validate scheduler::Call: Expecting 'type' to be present", SchedulerHttpClient.Request("""{"type":"NO_SUCH_CALL"}"""));
        await Expect(400, "Failed to validate scheduler::Call: Expecting 'subscribe' to be present", SchedulerHttpClient.Request("""{"type":"SUBSCRIBE"}"""));
        await Expect(400, "Failed to convert JSON into Call protobuf", SchedulerHttpClient.Request("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"n"}}}"""));
        await Expect(400, "Failed to convert JSON into Call protobuf", SchedulerHttpClient.Request("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":7,"name":"n"}}}"""));
        await Expect(400, "Failed to validate scheduler::Call: Expecting 'framework_id' to be present", SchedulerHttpClient.Request("""{"type":"REVIVE"}"""));
        await Expect(501, string.Empty, SchedulerHttpClient.Request("""{"type":"UNKNOWN"}"""));
        await Expect(400, "Framework cannot be found", SchedulerHttpClient.Request("""{"type":"TEARDOWN","framework_id":{"value":"nope"}}"""));

        var notAcceptable = SchedulerHttpClient.Request(subscribe);
        notAcceptable.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
        await Expect(406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'", notAcceptable);

        var withStreamId = SchedulerHttpClient.Request(subscribe);
        withStreamId.Headers.Add("Mesos-Stream-Id", "x");
        await Expect(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header", withStreamId);

        await scheduler.SubscribeAsync(FrameworkInfo("bad-input", failoverTimeout: 3600), ct);
        var revive = $$$"""{"type":"REVIVE","framework_id":{"value":"{{{scheduler.FrameworkId}}}"}}""";
        await Expect(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header", SchedulerHttpClient.Request(revive));
        var wrongStream = SchedulerHttpClient.Request(revive);
        wrongStream.Headers.Add("Mesos-Stream-Id", "not-the-stream");
        await Expect(400, $"The stream ID 'not-the-stream' included in this request didn't match the stream ID currently associated with framework ID {scheduler.FrameworkId}", wrongStream);
        Assert.Equal(202, (await scheduler.CallAsync("REVIVE", null, ct)).Status);
        Assert.Equal(400, (await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = Id("a"), ["task_id"] = Id("t"), ["uuid"] = "AAEC" }, ct)).Status);

        scheduler.CloseSubscription();
        int status;
        do
        {
            await Task.Delay(50, ct);
            status = (await scheduler.CallAsync("REVIVE", null, ct)).Status;
        }
        while (status == 202);

        Assert.Equal(403, status);
        Assert.Equal("Framework is not subscribed", (await scheduler.CallAsync("REVIVE", null, ct)).Body);

        using var health = await new HttpClient().GetAsync($"http://127.0.0.1:{master.Port}/health", ct);
        Assert.True(health.IsSuccessStatusCode);
    }
}
