using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mesos.Core.Ids;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Mesos' legacy master endpoints beyond the read ones: /master/state-summary, /master/teardown, /master/weights,
/// /master/quota and /master/reserve, /master/unreserve, each under /master/ and at the root, against a real master.
/// </summary>
public sealed class LegacyOperatorEndpointsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null, string contentType = "application/x-www-form-urlencoded")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } };
        }

        var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static async Task ExpectAsync(HttpClient http, HttpMethod method, string path, string? body, int status, string message)
    {
        var (actual, text, _) = await SendAsync(http, method, path, body);
        Assert.True(status == actual, $"{method} {path}: {actual} {text}");
        Assert.Equal(message, text);
    }

    [Fact]
    public async Task StateSummary_CountsTasksPerAgentAndFramework_UnderMasterAndRoot_WithJsonp()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await TestAgent.StartAsync(master.Port);
        var agentId = await agent.WaitForRegistrationAsync(ct);
        await using var framework = await TestFramework.SubscribeAsync(master, "summary", ct);
        await framework.LaunchAsync("runs", "sleep 60", ct);
        while ((await framework.NextUpdateAsync("runs", ct)).State != Protocol.V1.TaskState.TaskRunning)
        {
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        foreach (var path in new[] { "/master/state-summary", "/state-summary" })
        {
            var (status, body, response) = await SendAsync(http, HttpMethod.Get, path);
            Assert.Equal(200, status);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var summary = JsonNode.Parse(body)!;
            Assert.Equal("127.0.0.1", (string?)summary["hostname"]);
            Assert.Equal("test", (string?)summary["cluster"]);
            var slave = Assert.Single(summary["slaves"]!.AsArray())!;
            Assert.Equal(agentId, (string?)slave["id"]);
            Assert.Equal(1, (int)slave["TASK_RUNNING"]!);
            Assert.Equal(0, (int)slave["TASK_FINISHED"]!);
            var summarised = Assert.Single(summary["frameworks"]!.AsArray())!;
            Assert.Equal([(string?)summarised["id"]], slave["framework_ids"]!.AsArray().Select(i => (string?)i));
            Assert.Equal([agentId], summarised["slave_ids"]!.AsArray().Select(i => (string?)i));
            Assert.Equal(1, (int)summarised["TASK_RUNNING"]!);
            Assert.True((bool)summarised["active"]!);
        }

        var (jsonpStatus, jsonp, jsonpResponse) = await SendAsync(http, HttpMethod.Get, "/master/state-summary?jsonp=show");
        Assert.Equal(200, jsonpStatus);
        Assert.Equal("text/javascript", jsonpResponse.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("show({\"hostname\"", jsonp, StringComparison.Ordinal);
        Assert.EndsWith(");", jsonp, StringComparison.Ordinal);
        Assert.Equal(400, (await SendAsync(http, HttpMethod.Get, "/master/state-summary?jsonp=alert(1)")).Status);
    }

    [Fact]
    public async Task Teardown_RemovesTheFramework_AndAnswersBadRequestsAsMesos()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var framework = await TestFramework.SubscribeAsync(master, "to-tear-down", ct);
        var frameworkId = master.Server.State.Current.State.Frameworks.Keys.Single().Value;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        var (status, body, response) = await SendAsync(http, HttpMethod.Get, "/master/teardown");
        Assert.Equal(405, status);
        Assert.Equal("Expecting one of { 'POST' }, but received 'GET'", body);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
        await ExpectAsync(http, HttpMethod.Post, "/master/teardown", "framework=x", 400, "Missing 'frameworkId' query parameter in the request body");
        await ExpectAsync(http, HttpMethod.Post, "/master/teardown", "frameworkId=no-such", 400, "No framework found with specified ID");
        await ExpectAsync(http, HttpMethod.Post, "/teardown", "frameworkId=%zz", 400, "Unable to decode query string: Malformed % escape in 'frameworkId=%zz'");

        Assert.Equal(200, (await SendAsync(http, HttpMethod.Post, "/master/teardown", "frameworkId=" + Uri.EscapeDataString(frameworkId))).Status);
        Assert.False(master.Server.State.Current.State.Frameworks.ContainsKey(new FrameworkId(frameworkId)));
        Assert.Contains(master.Server.State.Current.State.CompletedFrameworks, f => f.Id.Value == frameworkId);
        await ExpectAsync(http, HttpMethod.Post, "/teardown", "frameworkId=" + frameworkId, 400, "No framework found with specified ID");
    }

    [Fact]
    public async Task Weights_GetAndPut_WithMesosErrors()
    {
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        Assert.Equal("[]", (await SendAsync(http, HttpMethod.Get, "/master/weights")).Body);
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Put, "/master/weights", """[{"role":"eng","weight":2.5},{"role":"ops","weight":0.5}]""", "application/json")).Status);
        var weights = JsonNode.Parse((await SendAsync(http, HttpMethod.Get, "/weights")).Body)!.AsArray();
        Assert.Equal(["eng=2.5", "ops=0.5"], weights.Select(w => $"{(string?)w!["role"]}={(double)w["weight"]!}"));
        Assert.Equal(2.5, master.Server.State.Current.State.RoleOf("eng").Weight);
        Assert.StartsWith("cb([", (await SendAsync(http, HttpMethod.Get, "/master/weights?jsonp=cb")).Body, StringComparison.Ordinal);

        await ExpectAsync(http, HttpMethod.Post, "/master/weights", "[]", 405, "Expecting one of { 'GET', 'PUT' }, but received 'POST'");
        var (status, body, _) = await SendAsync(http, HttpMethod.Put, "/master/weights", "[{", "application/json");
        Assert.Equal(400, status);
        Assert.StartsWith("Failed to parse update weights request JSON ('[{'): ", body, StringComparison.Ordinal);
        await ExpectAsync(http, HttpMethod.Put, "/master/weights", """{"role":"eng"}""", 400, """Failed to parse update weights request JSON ('{"role":"eng"}'): Expecting a JSON array""");
        await ExpectAsync(http, HttpMethod.Put, "/weights", """[{"role":"eng"}]""", 400, """Failed to convert weights JSON array to protobuf ('[{"role":"eng"}]'): Missing required fields: weight""");
        (status, body, _) = await SendAsync(http, HttpMethod.Put, "/master/weights", """[{"role":"eng","weight":-1}]""", "application/json");
        Assert.Equal(400, status);
        Assert.Contains("must be a positive number", body, StringComparison.Ordinal);
        Assert.Equal(2.5, master.Server.State.Current.State.RoleOf("eng").Weight);
    }

    [Fact]
    public async Task Quota_GetSetAndRemove_AsTheDeprecatedCallsMapOntoUpdateQuota()
    {
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        const string Set = """{"role":"eng","guarantee":[{"name":"cpus","type":"SCALAR","scalar":{"value":1.5}},{"name":"mem","type":"SCALAR","scalar":{"value":256}}],"force":true}""";

        Assert.Equal("{}", (await SendAsync(http, HttpMethod.Get, "/master/quota")).Body);
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Post, "/master/quota", Set, "application/json")).Status);

        // The old guarantee is both the guarantee and the limit of the new quota.
        var role = master.Server.State.Current.State.RoleOf("eng");
        Assert.Equal(role.Guarantees, role.Limits);
        Assert.Equal(1.5, role.Guarantees.Scalar("cpus").ToDouble());
        var status = JsonNode.Parse((await SendAsync(http, HttpMethod.Get, "/quota")).Body)!;
        var info = Assert.Single(status["infos"]!.AsArray())!;
        Assert.Equal("eng", (string?)info["role"]);
        Assert.Equal(1.5, (double)info["guarantee"]!.AsArray().Single(r => (string?)r!["name"] == "cpus")!["scalar"]!["value"]!);
        var config = Assert.Single(status["configs"]!.AsArray())!;
        Assert.Equal(256.0, (double)config["guarantees"]!["mem"]!["value"]!);
        Assert.Equal(256.0, (double)config["limits"]!["mem"]!["value"]!);

        await ExpectAsync(http, HttpMethod.Post, "/master/quota", Set, 400, "Failed to validate set quota request: Can not set quota for a role that already has quota");
        await ExpectAsync(http, HttpMethod.Put, "/master/quota", Set, 405, "Expecting one of { 'GET', 'POST', 'DELETE' }, but received 'PUT'");
        var (code, body, _) = await SendAsync(http, HttpMethod.Post, "/master/quota", "{", "application/json");
        Assert.Equal(400, code);
        Assert.StartsWith("Failed to parse set quota request JSON '{': ", body, StringComparison.Ordinal);
        await ExpectAsync(http, HttpMethod.Post, "/master/quota", """{"role":"ops","guarantee":{}}""", 400,
            """Failed to validate set quota request JSON '{"role":"ops","guarantee":{}}': Not expecting a JSON value other than an array for field 'guarantee'""");
        await ExpectAsync(http, HttpMethod.Post, "/master/quota", """{"guarantee":[]}""", 400, "Failed to validate set quota request: Quota request without role");
        await ExpectAsync(http, HttpMethod.Delete, "/master/quota", null, 400, "Failed to parse request path '/master/quota': 2 tokens ('quota' and 'role') required, found 1 token(s)");

        Assert.Equal(200, (await SendAsync(http, HttpMethod.Delete, "/master/quota/eng")).Status);
        Assert.Equal("{}", (await SendAsync(http, HttpMethod.Get, "/master/quota")).Body);
        await ExpectAsync(http, HttpMethod.Delete, "/quota/eng", null, 400, "Failed to remove quota: Role 'eng' has no quota set");
        await ExpectAsync(http, HttpMethod.Get, "/master/quota/eng", null, 405, "Expecting one of { 'DELETE' }, but received 'GET'");
    }

    [Fact]
    public async Task ReserveAndUnreserve_TakeMesosFormBodies_AndAnswer202()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await TestAgent.StartAsync(master.Port, resources: "cpus:4;mem:1024");
        var agentId = await agent.WaitForRegistrationAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        static string Cpus(double value) =>
            $$"""[{"name":"cpus","type":"SCALAR","scalar":{"value":{{value}}},"reservations":[{"type":"DYNAMIC","role":"eng","principal":"ops"}]}]""";
        string Form(string resources) => $"slaveId={Uri.EscapeDataString(agentId)}&resources={Uri.EscapeDataString(resources)}";

        Assert.Equal(202, (await SendAsync(http, HttpMethod.Post, "/master/reserve", Form(Cpus(3)))).Status);
        Assert.Equal(3.0, master.Server.State.Current.State.Agents[new AgentId(agentId)].Info.Resources.ReservedFor("eng").Scalar("cpus").ToDouble());
        var (status, body, _) = await SendAsync(http, HttpMethod.Post, "/reserve", Form(Cpus(8)));
        Assert.Equal(409, status);
        Assert.Contains("cpus:8", body, StringComparison.Ordinal);
        Assert.Equal(202, (await SendAsync(http, HttpMethod.Post, "/master/unreserve", Form(Cpus(2)))).Status);
        Assert.Equal(1.0, master.Server.State.Current.State.Agents[new AgentId(agentId)].Info.Resources.ReservedFor("eng").Scalar("cpus").ToDouble());

        await ExpectAsync(http, HttpMethod.Get, "/master/reserve", null, 405, "Expecting one of { 'POST' }, but received 'GET'");
        await ExpectAsync(http, HttpMethod.Post, "/master/reserve", "resources=[]", 400, "Missing 'slaveId' query parameter in the request body");
        await ExpectAsync(http, HttpMethod.Post, "/master/unreserve", "slaveId=" + agentId, 400, "Missing 'resources' query parameter in the request body");
        await ExpectAsync(http, HttpMethod.Post, "/master/reserve", "slaveId=no-such&resources=" + Uri.EscapeDataString(Cpus(1)), 400, "No agent found with specified ID");
        (status, body, _) = await SendAsync(http, HttpMethod.Post, "/master/reserve", Form("[{"));
        Assert.Equal(400, status);
        Assert.StartsWith("Error parsing 'resources' query parameter in the request body: ", body, StringComparison.Ordinal);
        (status, body, _) = await SendAsync(http, HttpMethod.Post, "/master/unreserve", Form("""[{"name":"cpus"}]"""));
        Assert.Equal(400, status);
        Assert.Equal("Error in parsing 'resources' query parameter in the request body: Missing required fields: resources.type", body);
    }
}
