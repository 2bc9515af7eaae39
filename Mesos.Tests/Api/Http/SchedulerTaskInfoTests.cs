using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Everything of a framework's TaskInfo that only the agent acts on (URIs, health check, environment, user, kill
/// policy, labels) reaches the agent through the v1 HTTP JSON API, the master's log and the agent link, over real sockets.
/// </summary>
public sealed class SchedulerTaskInfoTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static JsonObject Scalar(string name, double value) => new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(SchedulerHttpClient Scheduler, JsonObject Offer)> SubscribeForAnOfferAsync(TestMaster master, string name, CancellationToken ct)
    {
        var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = Environment.UserName, ["name"] = name }, ct);
        var offers = await scheduler.NextAsync(e => (string?)e["type"] == "OFFERS", ct);
        return (scheduler, offers["offers"]!["offers"]!.AsArray()[0]!.AsObject());
    }

    private static async Task<int> LaunchAsync(SchedulerHttpClient scheduler, JsonObject offer, JsonObject task, CancellationToken ct)
    {
        task["agent_id"] = Id((string)offer["agent_id"]!["value"]!);
        var accept = new JsonObject
        {
            ["offer_ids"] = new JsonArray(Id((string)offer["id"]!["value"]!)),
            ["operations"] = new JsonArray(new JsonObject { ["type"] = "LAUNCH", ["launch"] = new JsonObject { ["task_infos"] = new JsonArray(task) } }),
        };
        return (await scheduler.CallAsync("ACCEPT", accept, ct)).Status;
    }

    /// <summary>The task's updates, each acknowledged, until <paramref name="until"/> holds for one (which is returned last).</summary>
    private static async Task<List<JsonObject>> UpdatesAsync(SchedulerHttpClient scheduler, string taskId, Func<JsonObject, bool> until, CancellationToken ct)
    {
        var updates = new List<JsonObject>();
        while (true)
        {
            var update = await scheduler.NextAsync(e => (string?)e["type"] == "UPDATE" && (string?)e["update"]!["status"]!["task_id"]!["value"] == taskId, ct);
            var status = update["update"]!["status"]!.AsObject();
            updates.Add(status);
            if (status["uuid"] is { } uuid)
            {
                await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = status["agent_id"]!.DeepClone(), ["task_id"] = Id(taskId), ["uuid"] = uuid.DeepClone() }, ct);
            }

            if (until(status))
            {
                return updates;
            }
        }
    }

    private static string State(JsonObject status) => (string)status["state"]!;

    [Fact]
    public async Task HttpJsonLaunch_FetchesALocalScriptAndATarGz_RunsAnHttpServer_AndReportsItHealthy()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        var files = TempDirectory.Create("uris");
        var script = Path.Combine(files, "serve-source.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\ntest -f site/index.html || exit 7\ncd site && exec python3 -m http.server \"$SERVE_PORT\" --bind 127.0.0.1\n", ct);
        var archive = Path.Combine(files, "site.tar.gz");
        var content = Path.Combine(files, "content", "site");
        Directory.CreateDirectory(content);
        await File.WriteAllTextAsync(Path.Combine(content, "index.html"), "<h1>up</h1>", ct);
        await using (var gz = new GZipStream(File.Create(archive), CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(Path.Combine(files, "content"), gz, includeBaseDirectory: false, ct);
        }

        var port = FreePort();
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, offer) = await SubscribeForAnOfferAsync(master, "uris-and-health", ct);
        using var _ = scheduler;

        var task = new JsonObject
        {
            ["name"] = "web",
            ["task_id"] = Id("web"),
            ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 64)),
            ["command"] = new JsonObject
            {
                ["value"] = "./serve.sh",
                ["user"] = Environment.UserName,
                ["environment"] = new JsonObject { ["variables"] = new JsonArray(new JsonObject { ["name"] = "SERVE_PORT", ["value"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) },
                ["uris"] = new JsonArray(
                    new JsonObject { ["value"] = script, ["executable"] = true, ["output_file"] = "serve.sh", ["cache"] = false },
                    new JsonObject { ["value"] = archive, ["extract"] = true }),
            },
            ["health_check"] = new JsonObject
            {
                ["type"] = "HTTP",
                ["http"] = new JsonObject { ["port"] = port, ["path"] = "/index.html" },
                ["delay_seconds"] = 0,
                ["interval_seconds"] = 0.5,
                ["timeout_seconds"] = 5,
                ["grace_period_seconds"] = 30,
            },
            ["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = 2_000_000_000 } },
            ["labels"] = new JsonObject { ["labels"] = new JsonArray(new JsonObject { ["key"] = "tier", ["value"] = "web" }) },
        };
        Assert.Equal(202, await LaunchAsync(scheduler, offer, task, ct));

        var updates = await UpdatesAsync(scheduler, "web", s => State(s) != "TASK_STAGING" && State(s) != "TASK_STARTING" && (State(s) != "TASK_RUNNING" || s["healthy"] is not null), ct);

        var healthy = updates[^1];
        Assert.True(State(healthy) == "TASK_RUNNING", "the task did not stay up: " + healthy.ToJsonString());
        Assert.True((bool)healthy["healthy"]!);
        Assert.Equal("REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", (string?)healthy["reason"]);
        Assert.Equal("<h1>up</h1>", await new HttpClient().GetStringAsync($"http://127.0.0.1:{port}/index.html", ct));

        Assert.Equal(202, (await scheduler.CallAsync("KILL", new JsonObject { ["task_id"] = Id("web") }, ct)).Status);
        var end = await UpdatesAsync(scheduler, "web", s => State(s) is "TASK_KILLED" or "TASK_FAILED" or "TASK_FINISHED", ct);
        Assert.Equal("TASK_KILLED", State(end[^1]));
    }

    [Fact]
    public async Task HttpJsonLaunch_WithAFailingCommandHealthCheck_IsReportedUnhealthyAndKilled()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, offer) = await SubscribeForAnOfferAsync(master, "failing-health", ct);
        using var _ = scheduler;

        var task = new JsonObject
        {
            ["name"] = "sick",
            ["task_id"] = Id("sick"),
            ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32)),
            ["command"] = new JsonObject { ["value"] = "sleep 120" },
            ["health_check"] = new JsonObject
            {
                ["type"] = "COMMAND",
                ["command"] = new JsonObject { ["value"] = "test -f never-there" },
                ["delay_seconds"] = 0,
                ["interval_seconds"] = 0.2,
                ["consecutive_failures"] = 2,
                ["grace_period_seconds"] = 0,
            },
        };
        Assert.Equal(202, await LaunchAsync(scheduler, offer, task, ct));

        var updates = await UpdatesAsync(scheduler, "sick", s => State(s) is "TASK_KILLED" or "TASK_FAILED" or "TASK_FINISHED", ct);

        // Mesos' checker reports every failure after the first as unhealthy; the last one kills the task.
        var verdicts = updates.Where(s => State(s) == "TASK_RUNNING" && s["healthy"] is not null).ToList();
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v => Assert.False((bool)v["healthy"]!));
        Assert.All(verdicts, v => Assert.Equal("REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", (string?)v["reason"]));
        Assert.Equal("TASK_KILLED", State(updates[^1]));
        Assert.False((bool)updates[^1]["healthy"]!);
    }

    [Theory]
    [InlineData("""{"type":"HTTP"}""", "Expecting 'http' to be set for HTTP health check")]
    [InlineData("""{"type":"COMMAND"}""", "Expecting 'command' to be set for COMMAND health check")]
    [InlineData("""{"type":"TCP","tcp":{"port":80},"interval_seconds":-1}""", "Expecting 'interval_seconds' to be non-negative")]
    [InlineData("""{"type":"HTTP","http":{"port":80,"path":"health"}}""", "The path 'health' of HTTP health check must start with '/'")]
    [InlineData("""{"type":"PING"}""", "HealthCheck must specify 'type'")]
    public async Task HttpJsonLaunch_WithAnInvalidHealthCheck_IsTaskErrorNamingTheProblem(string check, string problem)
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, offer) = await SubscribeForAnOfferAsync(master, "bad-health", ct);
        using var _ = scheduler;

        var task = new JsonObject
        {
            ["name"] = "bad",
            ["task_id"] = Id("bad"),
            ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32)),
            ["command"] = new JsonObject { ["value"] = "true" },
            ["health_check"] = JsonNode.Parse(check),
        };
        Assert.Equal(202, await LaunchAsync(scheduler, offer, task, ct));

        var error = (await UpdatesAsync(scheduler, "bad", _ => true, ct))[^1];
        Assert.Equal("TASK_ERROR", State(error));
        Assert.Equal("REASON_TASK_INVALID", (string?)error["reason"]);
        Assert.Contains(problem, (string?)error["message"], StringComparison.Ordinal);
    }
}
