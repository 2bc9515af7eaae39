using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Mesos' maintenance against a real master, agents and schedulers over sockets: the legacy <c>/master/maintenance/*</c>
/// and <c>/master/machine/*</c> endpoints, the v1 operator calls, offers with unavailability and inverse offers.
/// Test agents announce hostname 127.0.0.1 and connect from 127.0.0.1, so their machine is <c>{127.0.0.1, 127.0.0.1}</c>.
/// </summary>
public sealed class MaintenanceHttpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly long Start = (DateTimeOffset.UtcNow.AddHours(1) - DateTimeOffset.UnixEpoch).Ticks * 100;

    private const long Hour = 3_600_000_000_000;

    private static JsonObject Machine(string hostname = "127.0.0.1", string ip = "127.0.0.1") => new() { ["hostname"] = hostname, ["ip"] = ip };

    private static JsonObject Schedule(params JsonObject[] machines) => new()
    {
        ["windows"] = new JsonArray(new JsonObject
        {
            ["machine_ids"] = new JsonArray([.. machines]),
            ["unavailability"] = new JsonObject
            {
                ["start"] = new JsonObject { ["nanoseconds"] = Start },
                ["duration"] = new JsonObject { ["nanoseconds"] = Hour },
            },
        }),
    };

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    private static JsonObject Scalar(string name, double value) =>
        new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    private static async Task<(int Status, string Body)> Send(HttpClient http, HttpMethod method, string path, string? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        }

        using var response = await http.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Schedule_DrainsTheMachine_OffersCarryItsUnavailability_AndTheSchedulersAnswerToItsInverseOfferShowsInTheStatus()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await TestAgent.StartAsync(master.Port);
        var agentId = await agent.WaitForRegistrationAsync(ct);
        using var op = new OperatorHttpClient(master.Port);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = Environment.UserName, ["name"] = "maintained" }, ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]!.AsArray()[0]!.AsObject();
        Assert.Null(offer["unavailability"]);
        var task = new JsonObject
        {
            ["name"] = "sleeper",
            ["task_id"] = Id("sleeper"),
            ["agent_id"] = Id(agentId),
            ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32)),
            ["command"] = new JsonObject { ["value"] = "sleep 60" },
        };
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", new JsonObject
        {
            ["offer_ids"] = new JsonArray(Id((string)offer["id"]!["value"]!)),
            ["operations"] = new JsonArray(new JsonObject { ["type"] = "LAUNCH", ["launch"] = new JsonObject { ["task_infos"] = new JsonArray(task) } }),
            ["filters"] = new JsonObject { ["refuse_seconds"] = 0 },
        }, ct)).Status);
        var running = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
        Assert.Equal(202, (await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id("sleeper"), ["uuid"] = (string)running["uuid"]! }, ct)).Status);

        Assert.Equal((200, string.Empty), await Send(op.Http, HttpMethod.Post, "/master/maintenance/schedule", Schedule(Machine()).ToJsonString(), ct));

        var status = JsonNode.Parse((await Send(op.Http, HttpMethod.Get, "/master/maintenance/status", null, ct)).Body)!;
        Assert.True(JsonNode.DeepEquals(Machine(), status["draining_machines"]![0]!["id"]), status.ToJsonString());
        Assert.Null(status["down_machines"]);
        var schedule = (await op.GetAsync("GET_MAINTENANCE_SCHEDULE", ct))["schedule"]!;
        Assert.True(JsonNode.DeepEquals(Schedule(Machine()), schedule), schedule.ToJsonString());
        Assert.True(JsonNode.DeepEquals(Schedule(Machine()), JsonNode.Parse((await Send(op.Http, HttpMethod.Get, "/master/maintenance/schedule", null, ct)).Body)));

        // The framework runs a task there: it is asked to give the agent back, and what it is offered says until when.
        // One allocation cycle makes both, the offers first.
        JsonObject? inverse = null;
        JsonNode? drained = null;
        while (inverse is null || drained is null)
        {
            var next = await scheduler.NextAsync(e => Type(e) is "INVERSE_OFFERS" or "OFFERS", ct);
            if (Type(next) == "OFFERS")
            {
                // Leftovers offered before the schedule landed carry nothing; those made after it must.
                drained = next["offers"]!["offers"]![0]!["unavailability"] is null ? null : next["offers"]!["offers"]![0]!;
            }
            else
            {
                inverse = next["inverse_offers"]!["inverse_offers"]![0]!.AsObject();
            }
        }

        Assert.Equal(agentId, (string?)inverse["agent_id"]!["value"]);
        Assert.Equal(scheduler.FrameworkId, (string?)inverse["framework_id"]!["value"]);
        Assert.Equal(Start, (long)inverse["unavailability"]!["start"]!["nanoseconds"]!);
        Assert.Equal(Hour, (long)inverse["unavailability"]!["duration"]!["nanoseconds"]!);
        Assert.Equal("127.0.0.1", (string?)inverse["url"]!["address"]!["ip"]);
        Assert.Equal(Start, (long)drained["unavailability"]!["start"]!["nanoseconds"]!);

        // Unknown inverse offer ids are ignored (202, nothing recorded); the real one's answer shows in the status.
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT_INVERSE_OFFERS", new JsonObject { ["inverse_offer_ids"] = new JsonArray(Id("no-such-inverse-offer")) }, ct)).Status);
        Assert.Equal(202, (await scheduler.CallAsync("DECLINE_INVERSE_OFFERS", new JsonObject { ["inverse_offer_ids"] = new JsonArray(Id((string)inverse["id"]!["value"]!)) }, ct)).Status);
        JsonNode answer;
        while ((answer = (await op.GetAsync("GET_MAINTENANCE_STATUS", ct))["status"]!["draining_machines"]![0]!)["statuses"] is null)
        {
            await Task.Delay(50, ct);
        }

        var declined = answer["statuses"]![0]!;
        Assert.Equal("DECLINE", (string?)declined["status"]);
        Assert.Equal(scheduler.FrameworkId, (string?)declined["framework_id"]!["value"]);
        Assert.True((long)declined["timestamp"]!["nanoseconds"]! > 0);
        var legacy = JsonNode.Parse((await Send(op.Http, HttpMethod.Get, "/master/maintenance/status", null, ct)).Body)!;
        Assert.Equal("DECLINE", (string?)legacy["draining_machines"]![0]!["statuses"]![0]!["status"]);

        // The same with application/x-protobuf: the status decodes as Mesos' master.Response.
        using var protobuf = OperatorHttpClient.Request("""{"type":"GET_MAINTENANCE_STATUS"}""");
        protobuf.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        using var binary = await op.Http.SendAsync(protobuf, ct);
        var response = Protocol.Wire.Master.Response.Parser.ParseFrom(await binary.Content.ReadAsByteArrayAsync(ct));
        var machine = Assert.Single(response.GetMaintenanceStatus.Status.DrainingMachines);
        Assert.Equal(("127.0.0.1", "127.0.0.1"), (machine.Id.Hostname, machine.Id.Ip));
        Assert.Equal(Protocol.Wire.Allocator.InverseOfferStatus.Types.Status.Decline, Assert.Single(machine.Statuses).Status);
    }

    [Fact]
    public async Task BadMaintenanceRequests_GetMesosStatusAndMessage_AndChangeNothing()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);
        var http = op.Http;
        var twice = Schedule(Machine("h1", "10.0.0.1"), Machine("h1", "10.0.0.1")).ToJsonString();

        Assert.Equal(400, (await Send(http, HttpMethod.Post, "/master/maintenance/schedule", "{\"windows\": [", ct)).Status);
        Assert.Contains("Failed to parse JSON", (await Send(http, HttpMethod.Post, "/master/maintenance/schedule", "[]", ct)).Body, StringComparison.Ordinal);
        Assert.Equal((400, "Machine 'hostname: \"h1\"\nip: \"10.0.0.1\"\n' appears more than once in the schedule"), await Send(http, HttpMethod.Post, "/master/maintenance/schedule", twice, ct));
        Assert.Equal((400, "Both 'hostname' and 'ip' for a machine are empty"), await Send(http, HttpMethod.Post, "/master/maintenance/schedule", Schedule(new JsonObject()).ToJsonString(), ct));
        Assert.Equal((400, "Failed to parse IPv4: not-an-ip"), await Send(http, HttpMethod.Post, "/master/maintenance/schedule", Schedule(Machine("h1", "not-an-ip")).ToJsonString(), ct));
        var noStart = (await Send(http, HttpMethod.Post, "/master/maintenance/schedule", """{"windows":[{"machine_ids":[{"hostname":"h1"}],"unavailability":{}}]}""", ct));
        Assert.Equal((400, "Missing required fields: windows[0].unavailability.start"), noStart);
        Assert.Equal((400, "Machine '{\"hostname\":\"h1\",\"ip\":\"10.0.0.1\"}' is not part of a maintenance schedule"), await Send(http, HttpMethod.Post, "/master/machine/down", new JsonArray(Machine("h1", "10.0.0.1")).ToJsonString(), ct));
        Assert.Equal((400, "List of machines is empty"), await Send(http, HttpMethod.Post, "/master/machine/down", "[]", ct));
        Assert.Equal(400, (await Send(http, HttpMethod.Post, "/master/machine/up", "{}", ct)).Status);

        Assert.Equal((200, string.Empty), await Send(http, HttpMethod.Post, "/master/maintenance/schedule", Schedule(Machine("h1", "10.0.0.1")).ToJsonString(), ct));
        Assert.Equal((400, "Machine '{\"hostname\":\"h1\",\"ip\":\"10.0.0.1\"}' is not in DOWN mode and cannot be brought up"), await Send(http, HttpMethod.Post, "/master/machine/up", new JsonArray(Machine("h1", "10.0.0.1")).ToJsonString(), ct));
        Assert.Equal((200, string.Empty), await Send(http, HttpMethod.Post, "/master/machine/down", new JsonArray(Machine("H1", "10.0.0.1")).ToJsonString(), ct));
        Assert.Equal((400, "Machine '{\"hostname\":\"h1\",\"ip\":\"10.0.0.1\"}' is not in DRAINING mode and cannot be brought down"), await Send(http, HttpMethod.Post, "/master/machine/down", new JsonArray(Machine("h1", "10.0.0.1")).ToJsonString(), ct));
        Assert.Equal((400, "Machine 'hostname: \"h1\"\nip: \"10.0.0.1\"\n' is deactivated and cannot be removed from the schedule"), await Send(http, HttpMethod.Post, "/master/maintenance/schedule", "{}", ct));

        // The v1 operator calls answer the same, with the v1 API's own prefixes for malformed calls.
        var update = await op.CallAsync(new JsonObject { ["type"] = "UPDATE_MAINTENANCE_SCHEDULE", ["update_maintenance_schedule"] = new JsonObject { ["schedule"] = new JsonObject() } }, ct);
        Assert.Equal((400, "Machine 'hostname: \"h1\"\nip: \"10.0.0.1\"\n' is deactivated and cannot be removed from the schedule"), update);
        var missing = await op.CallAsync(new JsonObject { ["type"] = "UPDATE_MAINTENANCE_SCHEDULE", ["update_maintenance_schedule"] = new JsonObject() }, ct);
        Assert.Equal((400, "Failed to convert JSON into Call protobuf: Missing required fields: update_maintenance_schedule.schedule"), missing);
        var start = await op.CallAsync(new JsonObject { ["type"] = "START_MAINTENANCE", ["start_maintenance"] = new JsonObject { ["machines"] = new JsonArray(Machine("h2", "10.0.0.2")) } }, ct);
        Assert.Equal((400, "Machine '{\"hostname\":\"h2\",\"ip\":\"10.0.0.2\"}' is not part of a maintenance schedule"), start);
        Assert.Equal(400, (await op.CallAsync(new JsonObject { ["type"] = "STOP_MAINTENANCE" }, ct)).Status);

        // Wrong methods: 405 naming the ones Mesos allows.
        var put = await Send(http, HttpMethod.Put, "/master/maintenance/schedule", "{}", ct);
        Assert.Equal((405, "Expecting one of { 'GET', 'POST' }, but received 'PUT'"), put);
        Assert.Equal(405, (await Send(http, HttpMethod.Get, "/master/machine/down", null, ct)).Status);
        Assert.Equal(405, (await Send(http, HttpMethod.Post, "/master/maintenance/status", "{}", ct)).Status);

        // Only the good calls changed anything: h1 is down, still in the schedule.
        var status = (await op.GetAsync("GET_MAINTENANCE_STATUS", ct))["status"]!;
        Assert.True(JsonNode.DeepEquals(new JsonArray(Machine("h1", "10.0.0.1")), status["down_machines"]), status.ToJsonString());
        Assert.Null(status["draining_machines"]);
    }

    [Fact]
    public async Task MachineDown_RemovesItsAgent_TasksLost_RefusesItWhileDown_AndMachineUpLetsAnAgentRegisterAgain()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);
        var workDir = TempDirectory.Create("maintained-agent");
        await using var agent = await TestAgent.StartAsync(master.Port, workDir);
        var agentId = await agent.WaitForRegistrationAsync(ct);
        await using var framework = await TestFramework.SubscribeAsync(master, "maintenance", ct, Protocol.V1.FrameworkInfo.Types.Capability.PartitionAware);
        await framework.LaunchAsync("doomed", "sleep 60", ct);
        while ((await framework.NextUpdateAsync("doomed", ct)).State != Protocol.V1.TaskState.TaskRunning)
        {
        }

        var machines = new JsonObject { ["machines"] = new JsonArray(Machine()) };
        Assert.Equal(200, (await op.CallAsync(new JsonObject { ["type"] = "UPDATE_MAINTENANCE_SCHEDULE", ["update_maintenance_schedule"] = new JsonObject { ["schedule"] = Schedule(Machine()) } }, ct)).Status);
        Assert.Equal((200, string.Empty), await op.CallAsync(new JsonObject { ["type"] = "START_MAINTENANCE", ["start_maintenance"] = machines.DeepClone() }, ct));

        // Mesos removes the agent: its tasks are LOST (even for a partition-aware framework), and it is told to shut down.
        var lost = await framework.NextUpdateAsync("doomed", ct);
        Assert.Equal(Protocol.V1.TaskState.TaskLost, lost.State);
        Assert.Equal(Protocol.V1.TaskStatus.Types.Reason.AgentRemoved, lost.Reason);
        await agent.Detached.WaitAsync(ct);
        Assert.Equal("Operator initiated 'Machine DOWN'", agent.ShutdownReason);
        Assert.Null((await op.GetAsync("GET_AGENTS", ct))["agents"]);
        Assert.True(JsonNode.DeepEquals(new JsonArray(Machine()), (await op.GetAsync("GET_MAINTENANCE_STATUS", ct))["status"]!["down_machines"]));

        // While the machine is down, neither the old agent nor a new one on it may register.
        await agent.StopAsync(ct);
        await using (var back = await TestAgent.StartAsync(master.Port, workDir))
        {
            await back.Detached.WaitAsync(ct);
            Assert.Equal("Machine is `DOWN`", back.ShutdownReason);
        }

        await using (var fresh = await TestAgent.StartAsync(master.Port))
        {
            await fresh.Detached.WaitAsync(ct);
            Assert.Equal("Machine is `DOWN`", fresh.ShutdownReason);
        }

        Assert.Equal((200, string.Empty), await op.CallAsync(new JsonObject { ["type"] = "STOP_MAINTENANCE", ["stop_maintenance"] = machines.DeepClone() }, ct));
        var status = (await op.GetAsync("GET_MAINTENANCE_STATUS", ct))["status"]!.AsObject();
        Assert.Empty(status);
        Assert.Empty((await op.GetAsync("GET_MAINTENANCE_SCHEDULE", ct))["schedule"]!.AsObject());

        await using var again = await TestAgent.StartAsync(master.Port);
        var newId = await again.WaitForRegistrationAsync(ct);
        Assert.NotEqual(agentId, newId);
        Assert.Single((await op.GetAsync("GET_AGENTS", ct))["agents"]!.AsArray());
    }
}
