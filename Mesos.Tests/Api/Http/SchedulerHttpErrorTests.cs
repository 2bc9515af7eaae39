using System.Text.Json.Nodes;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>Scheduler calls Mesos accepts with 202 and then refuses asynchronously, as an UPDATE from the master.</summary>
public sealed class SchedulerHttpErrorTests
{
    private static JsonObject Id(string value) => new() { ["value"] = value };

    [Fact]
    public async Task ATaskUsingMoreThanTheOffer_Is202ThenTaskErrorFromTheMaster_AndTheMasterKeepsOffering()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = Environment.UserName, ["name"] = "too-big", ["failover_timeout"] = 60 }, ct);

        var offer = (await scheduler.NextAsync(e => (string?)e["type"] == "OFFERS", ct))["offers"]!["offers"]!.AsArray()[0]!.AsObject();
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
                        ["name"] = "big",
                        ["task_id"] = Id("big"),
                        ["agent_id"] = offer["agent_id"]!.DeepClone(),
                        ["resources"] = new JsonArray(new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 400 } }),
                        ["command"] = new JsonObject { ["value"] = "true" },
                    }),
                },
            }),
            ["filters"] = new JsonObject { ["refuse_seconds"] = 0 },
        };
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);

        var status = (await scheduler.NextAsync(e => (string?)e["type"] == "UPDATE", ct))["update"]!["status"]!;
        Assert.Equal("big", (string?)status["task_id"]!["value"]);
        Assert.Equal("TASK_ERROR", (string?)status["state"]);
        Assert.Equal("REASON_TASK_INVALID", (string?)status["reason"]);
        Assert.Equal("SOURCE_MASTER", (string?)status["source"]);
        Assert.Null(status["uuid"]);

        // The refused offer's resources went back: they are offered again, and nothing in the log was lost.
        Assert.NotNull(await scheduler.NextAsync(e => (string?)e["type"] == "OFFERS", ct));
        using var op = new OperatorHttpClient(master.Port);
        Assert.Null((await op.GetAsync("GET_TASKS", ct))["tasks"]);
    }
}
