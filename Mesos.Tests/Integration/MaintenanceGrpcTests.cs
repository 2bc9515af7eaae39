using System.Text.Json.Nodes;
using Mesos.Protocol.V1;
using Mesos.Tests.Api.Http;

namespace Mesos.Tests.Integration;

/// <summary>Inverse offers over the gRPC scheduler edge, which reaches the core through the same command as the v1 HTTP API.</summary>
public sealed class MaintenanceGrpcTests
{
    [Fact]
    public async Task AFrameworkOfferedADrainingAgent_GetsAnInverseOffer_AndItsAcceptShowsInTheStatus()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await TestAgent.StartAsync(master.Port);
        var agentId = await agent.WaitForRegistrationAsync(ct);
        var client = new Scheduler.SchedulerClient(master.Channel);
        using var call = client.Subscribe(new SubscribeRequest { FrameworkInfo = new FrameworkInfo { Name = "grpc-maintained", User = System.Environment.UserName } }, cancellationToken: ct);
        var subscribed = (await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, ct)).Subscribed;
        var context = new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId };
        Assert.Null((await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Offers, ct)).Offers.Offers_[0].Unavailability);

        // Holding an offer there is enough to be asked (Mesos asks frameworks offered or using the agent's resources).
        using var op = new OperatorHttpClient(master.Port);
        var schedule = new JsonObject
        {
            ["windows"] = new JsonArray(new JsonObject
            {
                ["machine_ids"] = new JsonArray(new JsonObject { ["hostname"] = "127.0.0.1", ["ip"] = "127.0.0.1" }),
                ["unavailability"] = new JsonObject { ["start"] = new JsonObject { ["nanoseconds"] = 1_000_000_000 } },
            }),
        };
        Assert.Equal(200, (await op.CallAsync(new JsonObject { ["type"] = "UPDATE_MAINTENANCE_SCHEDULE", ["update_maintenance_schedule"] = new JsonObject { ["schedule"] = schedule } }, ct)).Status);

        var inverse = (await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.InverseOffers, ct)).InverseOffers.InverseOffers_.Single();
        Assert.Equal((agentId, subscribed.FrameworkId, 1_000_000_000L, false), (inverse.AgentId, inverse.FrameworkId, inverse.Unavailability.StartNanoseconds, inverse.Unavailability.HasDurationNanoseconds));

        var request = new InverseOffersRequest { Context = context, Filters = new Filters { RefuseSeconds = 3600 } };
        request.InverseOfferIds.Add(inverse.Id);
        await client.AcceptInverseOffersAsync(request, cancellationToken: ct);
        JsonNode? statuses;
        while ((statuses = (await op.GetAsync("GET_MAINTENANCE_STATUS", ct))["status"]!["draining_machines"]![0]!["statuses"]) is null)
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal("ACCEPT", (string?)statuses[0]!["status"]);
        Assert.Equal(subscribed.FrameworkId, (string?)statuses[0]!["framework_id"]!["value"]);
    }
}
