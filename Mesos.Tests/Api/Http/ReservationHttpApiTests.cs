using System.Text.Json.Nodes;
using Grpc.Core;
using Mesos.Protocol.V1;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>Dynamic reservations over Mesos' v1 HTTP APIs, against a real master (the agent speaks its gRPC protocol).</summary>
public sealed class ReservationHttpApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static JsonObject Scalar(string name, double value, string? role = null, string? principal = null)
    {
        var resource = new JsonObject { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };
        if (role is not null)
        {
            resource["role"] = role;
            resource["reservation"] = principal is null ? new JsonObject() : new JsonObject { ["principal"] = principal };
        }

        return resource;
    }

    private static JsonObject Framework(string name, string role) => new()
    {
        ["user"] = System.Environment.UserName,
        ["name"] = name,
        ["role"] = role,
        ["principal"] = name + "-principal",
    };

    private static async Task<AsyncServerStreamingCall<MasterToAgent>> AttachAgentAsync(TestMaster master, string resources, CancellationToken ct)
    {
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        var attach = agents.Attach(new AttachRequest { AgentInfo = MasterProtocolTests.AgentInfo(resources) }, cancellationToken: ct);
        Assert.True(await attach.ResponseStream.MoveNext(ct));
        return attach;
    }

    private static async Task<JsonObject> NextOfferAsync(SchedulerHttpClient scheduler, CancellationToken ct) =>
        (await scheduler.NextAsync(e => (string?)e["type"] == "OFFERS", ct))["offers"]!["offers"]!.AsArray()[0]!.AsObject();

    private static JsonObject Accept(JsonObject offer, string operation, params JsonObject[] resources) => new()
    {
        ["offer_ids"] = new JsonArray(Id((string)offer["id"]!["value"]!)),
        ["operations"] = new JsonArray(new JsonObject
        {
            ["type"] = operation,
            [operation.ToLowerInvariant()] = new JsonObject { ["resources"] = new JsonArray([.. resources]) },
        }),
        ["filters"] = new JsonObject { ["refuse_seconds"] = 0 },
    };

    private static async Task<JsonObject> SlaveAsync(TestMaster master, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        var slaves = JsonNode.Parse(await http.GetStringAsync("/master/slaves", ct))!["slaves"]!.AsArray();
        return Assert.Single(slaves)!.AsObject();
    }

    [Fact]
    public async Task AFramework_ReservesThroughAccept_GetsTheReservationBackOnlyInItsRole_ThenUnreserves()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var agent = await AttachAgentAsync(master, "cpus:4;mem:1024", ct);
        using var eng = new SchedulerHttpClient(master.Port);
        await eng.SubscribeAsync(Framework("eng", "eng"), ct);

        var offer = await NextOfferAsync(eng, ct);
        var reserve = Accept(offer, "RESERVE", Scalar("cpus", 4, "eng", "eng-principal"), Scalar("mem", 1024, "eng", "eng-principal"));
        Assert.Equal(202, (await eng.CallAsync("ACCEPT", reserve, ct)).Status);

        // The reservation comes back to its role, in the pre-refinement format (the framework lacks RESERVATION_REFINEMENT).
        var reserved = await NextOfferAsync(eng, ct);
        var cpus = reserved["resources"]!.AsArray().Single(r => (string?)r!["name"] == "cpus")!.AsObject();
        Assert.Equal("eng", (string?)cpus["role"]);
        Assert.Equal("eng-principal", (string?)cpus["reservation"]!["principal"]);
        Assert.Null(cpus["reservations"]);
        var slave = await SlaveAsync(master, ct);
        Assert.Equal(4.0, (double)slave["reserved_resources"]!["eng"]!["cpus"]!);
        Assert.Equal("DYNAMIC", (string?)slave["reserved_resources_full"]!["eng"]![0]!["reservations"]![0]!["type"]);
        Assert.Equal(0.0, (double)slave["unreserved_resources"]!["cpus"]!);

        // Another role is never offered it, and is told why once eng has declined it for a while.
        using var ops = new SchedulerHttpClient(master.Port);
        await ops.SubscribeAsync(Framework("ops", "ops"), ct);
        var decline = new JsonObject { ["offer_ids"] = new JsonArray(Id((string)reserved["id"]!["value"]!)), ["filters"] = new JsonObject { ["refuse_seconds"] = 2 } };
        Assert.Equal(202, (await eng.CallAsync("DECLINE", decline, ct)).Status);
        // The explanation is of the latest allocation cycle: wait for one that ran after the decline.
        var operatorClient = new Operator.OperatorClient(master.Channel);
        ExplainAllocationReply explain;
        while (true)
        {
            explain = await operatorClient.ExplainAllocationAsync(new ExplainAllocationRequest { FrameworkId = ops.FrameworkId }, cancellationToken: ct);
            if (explain.Reasons.Any(r => r.Text.Contains("reserved for another role", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(100, ct);
        }

        Assert.DoesNotContain(explain.Reasons, r => r.Kind == "OFFERED");

        reserved = await NextOfferAsync(eng, ct);
        var unreserve = Accept(reserved, "UNRESERVE", Scalar("cpus", 4, "eng", "eng-principal"), Scalar("mem", 1024, "eng", "eng-principal"));

        // eng refuses what it gave back; otherwise the two roles tie at a share of zero and the cycle's seeded tie-break
        // (which moves with the log's length) decides who is offered it.
        unreserve["filters"] = new JsonObject { ["refuse_seconds"] = 60 };
        Assert.Equal(202, (await eng.CallAsync("ACCEPT", unreserve, ct)).Status);
        var plain = await NextOfferAsync(ops, ct);
        Assert.All(plain["resources"]!.AsArray(), r => Assert.Null(r!["reservation"]));
        Assert.Equal(4.0, (double)(await SlaveAsync(master, ct))["unreserved_resources"]!["cpus"]!);
    }

    [Fact]
    public async Task OperatorReserveAndUnreserve_AnswerWithMesosStatusCodes()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var agent = await AttachAgentAsync(master, "cpus:4;mem:1024", ct);
        using var client = new OperatorHttpClient(master.Port);
        var agentId = (string)(await SlaveAsync(master, ct))["id"]!;

        JsonObject Call(string type, string agent, params JsonObject[] resources) => new()
        {
            ["type"] = type,
            [type.ToLowerInvariant()] = new JsonObject { ["agent_id"] = Id(agent), ["resources"] = new JsonArray([.. resources]) },
        };

        var (status, body) = await client.CallAsync(Call("RESERVE_RESOURCES", "no-such-agent", Scalar("cpus", 1, "eng")), ct);
        Assert.Equal(400, status);
        Assert.Contains("No agent found", body, StringComparison.Ordinal);

        (status, body) = await client.CallAsync(Call("RESERVE_RESOURCES", agentId, Scalar("cpus", 8, "eng")), ct);
        Assert.Equal(409, status);
        Assert.Contains("does not have cpus:8", body, StringComparison.Ordinal);

        (status, body) = await client.CallAsync(Call("RESERVE_RESOURCES", agentId, Scalar("cpus", 1, "*")), ct);
        Assert.Equal(400, status);

        (status, body) = await client.CallAsync(Call("RESERVE_RESOURCES", agentId, Scalar("cpus", 1)), ct);
        Assert.Equal(400, status);
        Assert.Contains("DYNAMIC", body, StringComparison.Ordinal);

        (status, body) = await client.CallAsync(Call("RESERVE_RESOURCES", agentId, Scalar("cpus", 3, "eng", "admin")), ct);
        Assert.Equal(202, status);
        Assert.Equal(3.0, (double)(await SlaveAsync(master, ct))["reserved_resources"]!["eng"]!["cpus"]!);

        (status, body) = await client.CallAsync(Call("UNRESERVE_RESOURCES", agentId, Scalar("cpus", 3, "ops", "admin")), ct);
        Assert.Equal(409, status);

        (status, _) = await client.CallAsync(Call("UNRESERVE_RESOURCES", agentId, Scalar("cpus", 2, "eng", "admin")), ct);
        Assert.Equal(202, status);
        var slave = await SlaveAsync(master, ct);
        Assert.Equal(1.0, (double)slave["reserved_resources"]!["eng"]!["cpus"]!);
        Assert.Equal(3.0, (double)slave["unreserved_resources"]!["cpus"]!);

        var state = await client.GetAsync("GET_STATE", ct);
        Assert.Contains("\"principal\":\"admin\"", state.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcOperatorReserve_OfAnUnknownAgent_IsInvalidArgument_AndOfTooMuch_Aborted()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var agent = await AttachAgentAsync(master, "cpus:4;mem:1024", ct);
        var client = new Operator.OperatorClient(master.Channel);
        var agentId = (string)(await SlaveAsync(master, ct))["id"]!;
        static Protocol.V1.Resource Cpus(double value) => new()
        {
            Name = "cpus",
            Type = Value.Types.Type.Scalar,
            Scalar = new Value.Types.Scalar { Value = value },
            Reservations = { new ReservationInfo { Type = ReservationInfo.Types.Type.Dynamic, Role = "eng", Principal = "admin" } },
        };

        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ReserveResourcesAsync(new ReserveResourcesRequest { AgentId = "nope", Resources = { Cpus(1) } }, cancellationToken: ct));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        var tooMuch = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ReserveResourcesAsync(new ReserveResourcesRequest { AgentId = agentId, Resources = { Cpus(5) } }, cancellationToken: ct));
        Assert.Equal(StatusCode.Aborted, tooMuch.StatusCode);

        await client.ReserveResourcesAsync(new ReserveResourcesRequest { AgentId = agentId, Resources = { Cpus(2) } }, cancellationToken: ct);
        await client.UnreserveResourcesAsync(new UnreserveResourcesRequest { AgentId = agentId, Resources = { Cpus(1) } }, cancellationToken: ct);
        Assert.Equal(1.0, (double)(await SlaveAsync(master, ct))["reserved_resources"]!["eng"]!["cpus"]!);
    }
}
