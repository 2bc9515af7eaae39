using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mesos.Master;
using Mesos.Master.Registry;
using Mesos.Tests.EventLog.Postgres;
using Mesos.Tests.Integration;
using Microsoft.Extensions.Logging;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Issue 5's "the same through a standby master's 307": a scheduler that knows only a standby master, written from
/// Mesos' scheduler-http-api.md with a raw HttpClient (redirects not followed for it), POSTs SUBSCRIBE there, gets
/// 307 with the scheme-relative Location Mesos sends (//host:port/api/v1/scheduler), follows it to the leader and
/// runs a command task to the end, acknowledging, reconciling and tearing down.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SchedulerHttpRedirectTests(PostgresCluster cluster)
{
    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    [Fact]
    public async Task SubscribeToAStandby_FollowsThe307ToTheLeader_ThenLaunchesAcknowledgesReconcilesAndTearsDown()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        var registry = RegistryOptions.Postgres(await cluster.DatabaseNamed("redirect"));
        await using var leader = await TestMaster.StartAsync(configure: o => o with { Registry = registry });
        var standbyPort = MasterProcess.FreePort();
        using var standbyStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var standby = Task.Run(
            () => MasterServer.StartAsync(TestMaster.Options(TempDirectory.Create("redirect-standby")) with { Registry = registry, Port = standbyPort }, standbyStop.Token, l => l.SetMinimumLevel(LogLevel.Warning)),
            CancellationToken.None);
        try
        {
            await using var agent = await EndToEndTests.StartAgentAsync(leader.Port);
            await agent.WaitForRegistrationAsync(ct);
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
            var standbyUri = new Uri($"http://127.0.0.1:{standbyPort}/api/v1/scheduler");
            const string subscribe = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"through-a-standby"}}}""";

            // The standby answers for the leader: 307, Location //<leader host>:<port>/api/v1/scheduler, no body to read.
            HttpResponseMessage redirect;
            while (true)
            {
                try
                {
                    using var request = Post(standbyUri, subscribe);
                    redirect = await http.SendAsync(request, ct);
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100, ct); // the standby is not listening yet
                }
            }

            using (redirect)
            {
                Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
                Assert.Equal($"//127.0.0.1:{leader.Port}/api/v1/scheduler", redirect.Headers.Location!.OriginalString);
            }

            // The legacy endpoints, read and write, are the leader's too, query and all.
            foreach (var (method, path) in new[] { (HttpMethod.Get, "/master/state-summary?jsonp=cb"), (HttpMethod.Post, "/master/teardown"), (HttpMethod.Put, "/weights"), (HttpMethod.Delete, "/master/quota/eng") })
            {
                using var legacy = await http.SendAsync(new HttpRequestMessage(method, new Uri($"http://127.0.0.1:{standbyPort}{path}")), ct);
                Assert.Equal(HttpStatusCode.TemporaryRedirect, legacy.StatusCode);
                Assert.Equal($"//127.0.0.1:{leader.Port}{path}", legacy.Headers.Location!.OriginalString);
            }

            // A scheme-relative reference resolves against the URI it came from (RFC 3986 5.2): same scheme, the leader's authority.
            var leaderUri = new Uri(standbyUri, redirect.Headers.Location!.OriginalString);
            Assert.Equal($"http://127.0.0.1:{leader.Port}/api/v1/scheduler", leaderUri.ToString());
            using var subscription = await http.SendAsync(Post(leaderUri, subscribe, accept: "application/json"), HttpCompletionOption.ResponseHeadersRead, ct);
            Assert.Equal(HttpStatusCode.OK, subscription.StatusCode);
            var streamId = subscription.Headers.GetValues("Mesos-Stream-Id").Single();
            var events = new RecordIoReader(await subscription.Content.ReadAsStreamAsync(ct));
            var subscribed = (await events.NextAsync(ct))!;
            Assert.Equal("SUBSCRIBED", Type(subscribed));
            var frameworkId = (string)subscribed["subscribed"]!["framework_id"]!["value"]!;
            Assert.Equal(leader.Port, (int)subscribed["subscribed"]!["master_info"]!["port"]!);

            async Task<int> CallAsync(Uri at, string type, JsonObject? payload)
            {
                var call = new JsonObject { ["framework_id"] = Id(frameworkId), ["type"] = type };
                if (payload is not null)
                {
                    call[type.ToLowerInvariant()] = payload.DeepClone();
                }

                using var request = Post(at, call.ToJsonString());
                request.Headers.Add("Mesos-Stream-Id", streamId);
                using var response = await http.SendAsync(request, ct);
                return (int)response.StatusCode;
            }

            async Task<JsonObject> NextAsync(string type)
            {
                while (true)
                {
                    var @event = await events.NextAsync(ct) ?? throw new EndOfStreamException("the subscription stream ended");
                    if (Type(@event) == type)
                    {
                        return @event;
                    }
                }
            }

            var offer = (await NextAsync("OFFERS"))["offers"]!["offers"]![0]!.AsObject();
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
                            ["name"] = "redirected",
                            ["task_id"] = Id("redirected"),
                            ["agent_id"] = Id(agentId),
                            ["resources"] = new JsonArray(
                                new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 0.1 } },
                                new JsonObject { ["name"] = "mem", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 32 } }),
                            ["command"] = new JsonObject { ["value"] = "echo redirected" },
                        }),
                    },
                }),
            };

            // Any call sent to the standby is redirected the same way; the leader takes it.
            Assert.Equal(307, await CallAsync(standbyUri, "ACCEPT", accept));
            Assert.Equal(202, await CallAsync(leaderUri, "ACCEPT", accept));

            var states = new List<string>();
            while (states.LastOrDefault() != "TASK_FINISHED")
            {
                var status = (await NextAsync("UPDATE"))["update"]!["status"]!.AsObject();
                Assert.Equal("redirected", (string?)status["task_id"]!["value"]);
                Assert.Equal(16, Convert.FromBase64String((string)status["uuid"]!).Length);
                states.Add((string)status["state"]!);
                var ack = new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id("redirected"), ["uuid"] = (string)status["uuid"]! };
                Assert.Equal(202, await CallAsync(leaderUri, "ACKNOWLEDGE", ack));
            }

            Assert.Contains("TASK_RUNNING", states);

            var reconcile = new JsonObject { ["tasks"] = new JsonArray(new JsonObject { ["task_id"] = Id("redirected"), ["agent_id"] = Id(agentId) }) };
            Assert.Equal(202, await CallAsync(leaderUri, "RECONCILE", reconcile));
            var answer = (await NextAsync("UPDATE"))["update"]!["status"]!.AsObject();
            Assert.Equal("TASK_FINISHED", (string?)answer["state"]);
            Assert.Equal("REASON_RECONCILIATION", (string?)answer["reason"]);
            Assert.Null(answer["uuid"]);

            Assert.Equal(202, await CallAsync(leaderUri, "TEARDOWN", null));
            while (await events.NextAsync(ct) is not null)
            {
            }

            Assert.False(standby.IsCompleted);
        }
        finally
        {
            await standbyStop.CancelAsync();
            try
            {
                await (await standby).DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static HttpRequestMessage Post(Uri uri, string body, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return request;
    }
}
