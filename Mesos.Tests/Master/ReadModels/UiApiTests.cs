using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mesos.Master.Api.Http;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Master.ReadModels;

/// <summary>The web UI's JSON API, live channel and <c>/metrics</c> over a real socket, against a real master and agent.</summary>
public sealed class UiApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task ATaskLaunch_IsInTheReadModels_AndAbsentAsOfThePositionBeforeIt()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        var agentId = await agent.WaitForRegistrationAsync(cts.Token);
        await using var framework = await TestFramework.SubscribeAsync(master, "ui-api", cts.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        await framework.LaunchAsync("seen", "echo seen", cts.Token);
        await framework.UpdatesUntilTerminalAsync("seen", cts.Token);
        var head = master.Server.State.Current.Position;

        var task = await GetJsonAsync(http, $"/ui/api/tasks/{framework.Context.FrameworkId}/seen?min_position={head}", cts.Token);
        var launched = task.GetProperty("task").GetProperty("launched_position").GetInt64();
        Assert.Equal("TASK_FINISHED", task.GetProperty("task").GetProperty("state").GetString());
        Assert.Equal(["TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"],
            task.GetProperty("task").GetProperty("statuses").EnumerateArray().Select(s => s.GetProperty("state").GetString()));
        var story = task.GetProperty("story").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal("OfferMade", story[0]);
        Assert.Contains("TaskLaunched", story);

        var now = await GetJsonAsync(http, "/ui/api/tasks?state=completed", cts.Token);
        var before = await GetJsonAsync(http, $"/ui/api/tasks?at={launched - 1}", cts.Token);
        Assert.Contains(now.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("id").GetString() == "seen");
        Assert.False(before.GetProperty("live").GetBoolean());
        Assert.DoesNotContain(before.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("id").GetString() == "seen");

        var diff = await GetJsonAsync(http, $"/ui/api/diff?from={launched - 1}&to={launched}", cts.Token);
        Assert.Equal("seen", Assert.Single(diff.GetProperty("tasks_started").EnumerateArray()).GetProperty("id").GetString());

        var agents = await GetJsonAsync(http, $"/ui/api/agents?filter=127.0.0&limit=10", cts.Token);
        Assert.Equal(1, agents.GetProperty("total").GetInt32());
        Assert.Equal(agentId, agents.GetProperty("agents")[0].GetProperty("id").GetString());
        var none = await GetJsonAsync(http, "/ui/api/agents?filter=no-such-host", cts.Token);
        Assert.Equal(0, none.GetProperty("total").GetInt32());
        var history = await GetJsonAsync(http, $"/ui/api/history?agent={agentId}&limit=1000", cts.Token);
        Assert.Contains(history.GetProperty("entries").EnumerateArray(), e => e.GetProperty("type").GetString() == "AgentRegistered");
    }

    [Theory]
    [InlineData("/ui/api/agents?at=yesterday", "at: 'yesterday' is not a log position")]
    [InlineData("/ui/api/agents?offset=-1", "offset: '-1' is not a non-negative integer")]
    [InlineData("/ui/api/tasks?time=soon", "time: 'soon' is not a time")]
    [InlineData("/ui/api/history?before=x", "before: 'x' is not a log position")]
    [InlineData("/ui/api/diff?to=3", "from: required")]
    [InlineData("/ui/api/diff?from=5&to=3", "from: 5 is after to: 3")]
    [InlineData("/ui/api/agents/S1/proxy/etc/passwd", "path: 'etc/passwd' is not one of")]
    public async Task MalformedQueries_Get400NamingTheParameter(string path, string expected)
    {
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownAgentAndTask_Get404()
    {
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/api/agents/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/api/tasks/fw/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/nope.js")).StatusCode);
    }

    [Fact]
    public async Task TheLiveChannel_PushesTheNewPositionAfterACommit()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        using var response = await http.GetAsync("/ui/api/stream", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var first = await NextPositionAsync(reader, cts.Token);

        await using var framework = await TestFramework.SubscribeAsync(master, "sse", cts.Token);

        var next = await NextPositionAsync(reader, cts.Token);
        Assert.True(next > first, $"{next} after {first}");
        Assert.True(next <= master.Server.State.Current.Position);
    }

    private static async Task<long> NextPositionAsync(StreamReader reader, CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("position").GetInt64();
            }
        }

        throw new InvalidOperationException("the stream ended");
    }

    [Fact]
    public async Task Metrics_ArePrometheusText_WithAppendLatencyProjectionLagAndAllocationCycles()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(cts.Token);
        await using var framework = await TestFramework.SubscribeAsync(master, "metrics", cts.Token);
        await framework.NextOfferAsync(cts.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        using var response = await http.GetAsync("/metrics", cts.Token);
        var text = await response.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var samples = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.All(samples, l => Assert.Matches(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? ([-+0-9.eE]+|[-+]Inf|NaN)$", l));
        Assert.Contains(samples, l => l.StartsWith("mesos_projections_lag_events ", StringComparison.Ordinal));
        Assert.Contains(samples, l => l.StartsWith("mesos_projections_lag_seconds ", StringComparison.Ordinal));
        Assert.Contains(samples, l => l.StartsWith("mesos_projection_position{projection=\"agents\"", StringComparison.Ordinal));
        var appends = samples.Single(l => l.StartsWith("mesos_event_log_append_seconds_count ", StringComparison.Ordinal));
        Assert.True(long.Parse(appends.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0, appends);
        var cycles = samples.Single(l => l.StartsWith("mesos_allocator_mesos_allocation_run_ms_count ", StringComparison.Ordinal));
        Assert.True(long.Parse(cycles.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0, cycles);
        Assert.Contains("# TYPE mesos_event_log_append_seconds histogram", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("master/tasks_running", "mesos_master_tasks_running")]
    [InlineData("allocator/mesos/event_queue_dispatches", "mesos_allocator_mesos_event_queue_dispatches")]
    [InlineData("master/messages-received.v1", "mesos_master_messages_received_v1")]
    public void MetricNames_AreSanitisedForPrometheus(string key, string name) =>
        Assert.Equal(name, PrometheusEndpoint.Name(key));
}
