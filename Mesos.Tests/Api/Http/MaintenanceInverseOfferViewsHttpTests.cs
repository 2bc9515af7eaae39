using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mesos.Tests.Integration;
using WireMaster = Mesos.Protocol.Wire.Master;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// A maintenance schedule gives a framework with a task on the machine an inverse offer (real master, agent and v1
/// scheduler over sockets); until it answers, the operator API lists it in the framework's <c>inverse_offers</c>
/// exactly as its INVERSE_OFFERS event carried it: GET_FRAMEWORKS and GET_STATE in JSON and protobuf, and the operator
/// SUBSCRIBE snapshot. Its answer takes it out.
/// </summary>
public sealed class MaintenanceInverseOfferViewsHttpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly long Start = (DateTimeOffset.UtcNow.AddHours(1) - DateTimeOffset.UnixEpoch).Ticks * 100;

    private const long Hour = 3_600_000_000_000;

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    private static JsonObject Scalar(string name, double value) =>
        new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    private static string Schedule() => new JsonObject
    {
        ["windows"] = new JsonArray(new JsonObject
        {
            ["machine_ids"] = new JsonArray(new JsonObject { ["hostname"] = "127.0.0.1", ["ip"] = "127.0.0.1" }),
            ["unavailability"] = new JsonObject
            {
                ["start"] = new JsonObject { ["nanoseconds"] = Start },
                ["duration"] = new JsonObject { ["nanoseconds"] = Hour },
            },
        }),
    }.ToJsonString();

    private static JsonNode? InverseOffers(JsonObject getFrameworks) => getFrameworks["frameworks"]![0]!["inverse_offers"];

    [Fact]
    public async Task AnOutstandingInverseOffer_IsInGetFrameworksGetStateAndTheSubscribeSnapshot_JsonAndProtobuf_UntilAnswered()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await TestAgent.StartAsync(master.Port);
        var agentId = await agent.WaitForRegistrationAsync(ct);
        using var op = new OperatorHttpClient(master.Port);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = Environment.UserName, ["name"] = "asked-back" }, ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]!.AsArray()[0]!.AsObject();
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
        Assert.Null(InverseOffers(await op.GetAsync("GET_FRAMEWORKS", ct)));

        using (var schedule = new StringContent(Schedule(), Encoding.UTF8, "application/json"))
        {
            using var posted = await op.Http.PostAsync("/master/maintenance/schedule", schedule, ct);
            Assert.Equal(200, (int)posted.StatusCode);
        }

        var inverse = (await scheduler.NextAsync(e => Type(e) == "INVERSE_OFFERS", ct))["inverse_offers"]!["inverse_offers"]![0]!.AsObject();

        // The operator sees what the framework was sent, field for field.
        var listed = Assert.Single(InverseOffers(await op.GetAsync("GET_FRAMEWORKS", ct))!.AsArray())!;
        Assert.True(JsonNode.DeepEquals(inverse, listed), $"{inverse.ToJsonString()} != {listed.ToJsonString()}");
        Assert.Equal(["id", "url", "framework_id", "agent_id", "unavailability"], listed.AsObject().Select(p => p.Key));
        var fromState = (await op.GetAsync("GET_STATE", ct))["get_frameworks"]!.AsObject();
        Assert.True(JsonNode.DeepEquals(inverse, InverseOffers(fromState)![0]), fromState.ToJsonString());

        var stream = await op.SubscribeAsync(ct);
        var subscribed = (await stream.NextAsync(ct))!;
        Assert.Equal("SUBSCRIBED", Type(subscribed));
        var snapshot = subscribed["subscribed"]!["get_state"]!["get_frameworks"]!.AsObject();
        Assert.True(JsonNode.DeepEquals(inverse, InverseOffers(snapshot)![0]), snapshot.ToJsonString());

        // application/x-protobuf: master.proto's GetFrameworks.Framework.inverse_offers (8) decodes to the same offer.
        using var request = OperatorHttpClient.Request("""{"type":"GET_FRAMEWORKS"}""");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        using var binary = await op.Http.SendAsync(request, ct);
        Assert.Equal("application/x-protobuf", binary.Content.Headers.ContentType?.MediaType);
        var framework = Assert.Single(WireMaster.Response.Parser.ParseFrom(await binary.Content.ReadAsByteArrayAsync(ct)).GetFrameworks.Frameworks);
        var wire = Assert.Single(framework.InverseOffers);
        Assert.Equal(((string)inverse["id"]!["value"]!, scheduler.FrameworkId, agentId), (wire.Id.Value, wire.FrameworkId.Value, wire.AgentId.Value));
        Assert.Equal(("http", "127.0.0.1", "/slave(1)"), (wire.Url.Scheme, wire.Url.Address.Ip, wire.Url.Path));
        Assert.Equal(agent.HttpPort, wire.Url.Address.Port);
        Assert.Equal((Start, Hour), (wire.Unavailability.Start.Nanoseconds, wire.Unavailability.Duration.Nanoseconds));

        // Answered, it is no longer outstanding.
        Assert.Equal(202, (await scheduler.CallAsync("DECLINE_INVERSE_OFFERS", new JsonObject { ["inverse_offer_ids"] = new JsonArray(Id((string)inverse["id"]!["value"]!)) }, ct)).Status);
        while (InverseOffers(await op.GetAsync("GET_FRAMEWORKS", ct)) is not null)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(202, (await scheduler.CallAsync("TEARDOWN", null, ct)).Status);
    }
}
