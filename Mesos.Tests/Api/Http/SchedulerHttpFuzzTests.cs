using System.Net.Http.Headers;
using System.Text;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Thousands of random and mutated Call bodies: whatever arrives, the scheduler endpoint answers with one of
/// Mesos' documented status codes (never 500 or another server error) and the master keeps serving.
/// </summary>
public sealed class SchedulerHttpFuzzTests
{
    private static readonly int[] Documented = [200, 202, 400, 403, 405, 406, 415, 501];

    private static readonly string[] Seeds =
    [
        """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n","roles":["*"],"failover_timeout":1,"capabilities":[{"type":"MULTI_ROLE"}]}}}""",
        """{"type":"ACCEPT","framework_id":{"value":"F"},"accept":{"offer_ids":[{"value":"O"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"t","task_id":{"value":"t"},"agent_id":{"value":"A"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}},{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":1,"end":2}]}}],"command":{"value":"true","shell":true,"environment":{"variables":[{"name":"X","value":"1"}]}},"kill_policy":{"grace_period":{"nanoseconds":5}}}]}}],"filters":{"refuse_seconds":5}}}""",
        """{"type":"DECLINE","framework_id":{"value":"F"},"decline":{"offer_ids":[{"value":"O"}],"filters":{"refuse_seconds":"Infinity"}}}""",
        """{"type":"KILL","framework_id":{"value":"F"},"kill":{"task_id":{"value":"t"},"agent_id":{"value":"A"}}}""",
        """{"type":"ACKNOWLEDGE","framework_id":{"value":"F"},"acknowledge":{"agent_id":{"value":"A"},"task_id":{"value":"t"},"uuid":"AAECAwQFBgcICQoLDA0ODw=="}}""",
        """{"type":"RECONCILE","framework_id":{"value":"F"},"reconcile":{"tasks":[{"task_id":{"value":"t"},"agent_id":{"value":"A"}}]}}""",
        """{"type":"REVIVE","framework_id":{"value":"F"},"revive":{"roles":["*"]}}""",
        """{"type":"SUPPRESS","framework_id":{"value":"F"}}""",
        """{"type":"TEARDOWN","framework_id":{"value":"F"}}""",
        """{"type":"UPDATE_FRAMEWORK","framework_id":{"value":"F"},"update_framework":{"framework_info":{"user":"u","name":"n2","id":{"value":"F"},"failover_timeout":3600,"roles":["*","eng"],"capabilities":[{"type":"MULTI_ROLE"}]},"suppressed_roles":["eng"]}}""",
        """{"type":"MESSAGE","framework_id":{"value":"F"},"message":{"agent_id":{"value":"A"},"executor_id":{"value":"x"},"data":"aGVsbG8="}}""",
        """{"type":"SHUTDOWN","framework_id":{"value":"F"},"shutdown":{"executor_id":{"value":"x"},"agent_id":{"value":"A"}}}""",
        """{"type":"ACKNOWLEDGE_OPERATION_STATUS","framework_id":{"value":"F"},"acknowledge_operation_status":{"agent_id":{"value":"A"},"resource_provider_id":{"value":"R"},"uuid":"AAECAwQFBgcICQoLDA0ODw==","operation_id":{"value":"op"}}}""",
        """{"type":"RECONCILE_OPERATIONS","framework_id":{"value":"F"},"reconcile_operations":{"operations":[{"operation_id":{"value":"op"},"agent_id":{"value":"A"}}]}}""",
        """{"type":"ACCEPT","framework_id":{"value":"F"},"accept":{"offer_ids":[{"value":"O"}],"operations":[{"type":"RESERVE","id":{"value":"op"},"reserve":{"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"DYNAMIC","role":"eng"}]}]}},{"type":"LAUNCH","id":{"value":"l"},"launch":{"task_infos":[]}}]}}""",
        """{"type":"UNKNOWN"}""",
    ];

    private static readonly string[] Fragments =
    [
        "null", "0", "-1", "1e400", "-1e400", "18446744073709551616", "1.5", "\"\"", "\"Infinity\"", "\"NaN\"", "true", "[]", "{}",
        "[null]", "{\"value\":null}", "\"\\ud800\"", "\"\\u0000\"", "\"é\"", "[[[[[[[[[[]]]]]]]]]]", "{\"type\":\"SUBSCRIBE\"}", "\"A==\"",
    ];

    [Fact]
    public async Task RandomAndMutatedBodies_NeverGetAServerError()
    {
        var seed = Environment.GetEnvironmentVariable("FUZZ_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        var random = new Random(seed);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        using var subscribed = new SchedulerHttpClient(master.Port);
        await subscribed.SubscribeAsync(new System.Text.Json.Nodes.JsonObject { ["user"] = "u", ["name"] = "fuzz", ["failover_timeout"] = 3600 }, cts.Token);

        for (var i = 0; i < 3000; i++)
        {
            var body = Mutate(random, Seeds[random.Next(Seeds.Length)].Replace("\"F\"", $"\"{subscribed.FrameworkId}\"", StringComparison.Ordinal));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (random.Next(2) == 0)
            {
                request.Headers.Add("Mesos-Stream-Id", subscribed.StreamId);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var status = (int)response.StatusCode;
            Assert.True(Documented.Contains(status), $"seed {seed}, case {i}: {status} for {Encoding.UTF8.GetString(body)}");
        }

        using var health = await http.GetAsync("/health", cts.Token);
        Assert.True(health.IsSuccessStatusCode, $"seed {seed}: the master stopped serving");
    }

    internal static byte[] Mutate(Random random, string seed)
    {
        switch (random.Next(6))
        {
            case 0:
                return Encoding.UTF8.GetBytes(seed);
            case 1:
                var bytes = Encoding.UTF8.GetBytes(seed);
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 2:
                return Encoding.UTF8.GetBytes(seed[..random.Next(seed.Length)]);
            case 3:
                var values = System.Text.RegularExpressions.Regex.Matches(seed, @"(?<=:)(""[^""]*""|-?[0-9.]+|true|false|\{""value"":""[^""]*""\})");
                if (values.Count == 0)
                {
                    return Encoding.UTF8.GetBytes(seed);
                }

                var pick = values[random.Next(values.Count)];
                return Encoding.UTF8.GetBytes(string.Concat(seed.AsSpan(0, pick.Index), Fragments[random.Next(Fragments.Length)], seed.AsSpan(pick.Index + pick.Length)));
            case 4:
                var noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return noise;
            default:
                var names = System.Text.RegularExpressions.Regex.Matches(seed, @"""([a-z_]+)"":");
                var name = names[random.Next(names.Count)];
                return Encoding.UTF8.GetBytes(string.Concat(seed.AsSpan(0, name.Index), "\"x_", seed.AsSpan(name.Index + 1)));
        }
    }
}
