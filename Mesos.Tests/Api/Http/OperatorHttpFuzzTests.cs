using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Mesos.Tests.Integration;
using MasterApi = Mesos.Protocol.Wire.Master;
using SchedulerApi = Mesos.Protocol.Wire.Scheduler;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Random and mutated bodies for the operator API in JSON, and protobuf bodies (valid calls with bytes flipped,
/// cut short, or noise) for both /api/v1 and /api/v1/scheduler: never a server error, and the master keeps
/// serving. The seed is printed, and FUZZ_SEED replays it.
/// </summary>
public sealed class OperatorHttpFuzzTests
{
    // 404: MARK_AGENT_GONE of an agent the master never admitted, as Mesos answers it.
    private static readonly int[] Documented = [200, 202, 400, 403, 404, 405, 406, 415, 501];

    private static readonly string[] Seeds =
    [
        """{"type":"GET_HEALTH"}""",
        """{"type":"GET_STATE"}""",
        """{"type":"GET_METRICS","get_metrics":{"timeout":{"nanoseconds":1000000}}}""",
        """{"type":"GET_ROLES"}""",
        """{"type":"GET_QUOTA"}""",
        """{"type":"TEARDOWN","teardown":{"framework_id":{"value":"F"}}}""",
        """{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"eng","weight":2.5},{"role":"ops","weight":1}]}}""",
        """{"type":"UPDATE_QUOTA","update_quota":{"force":true,"quota_configs":[{"role":"eng","guarantees":{"cpus":{"value":1}},"limits":{"mem":{"value":64}}}]}}""",
        """{"type":"MARK_AGENT_GONE","mark_agent_gone":{"agent_id":{"value":"A"}}}""",
        """{"type":"RESERVE_RESOURCES","reserve_resources":{"agent_id":{"value":"A"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1}}]}}""",
        """{"type":"UNKNOWN"}""",
    ];

    private static int Seed()
    {
        var seed = Environment.GetEnvironmentVariable("FUZZ_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        Console.WriteLine($"{nameof(OperatorHttpFuzzTests)} seed {seed} (FUZZ_SEED={seed} replays it)");
        return seed;
    }

    private static async Task<int> PostAsync(HttpClient http, string path, byte[] body, string contentType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        // Streams (a lucky SUBSCRIBE) are judged on their status and closed at once.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task RandomAndMutatedOperatorCalls_NeverGetAServerError()
    {
        var seed = Seed();
        var random = new Random(seed);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        for (var i = 0; i < 2000; i++)
        {
            var body = SchedulerHttpFuzzTests.Mutate(random, Seeds[random.Next(Seeds.Length)]);
            var status = await PostAsync(http, "/api/v1", body, "application/json", cts.Token);
            Assert.True(Documented.Contains(status), $"seed {seed}, case {i}: {status} for {Encoding.UTF8.GetString(body)}");
        }

        using var health = await http.GetAsync("/health", cts.Token);
        Assert.True(health.IsSuccessStatusCode, $"seed {seed}: the master stopped serving");
    }

    [Fact]
    public async Task MutatedProtobufCalls_NeverGetAServerError()
    {
        var seed = Seed();
        var random = new Random(seed);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        var parser = new JsonParser(JsonParser.Settings.Default);
        var operatorCalls = Seeds.Select(s => parser.Parse<MasterApi.Call>(s).ToByteArray()).ToArray();
        byte[][] schedulerCalls =
        [
            new SchedulerApi.Call { Type = SchedulerApi.Call.Types.Type.Subscribe, Subscribe = new() { FrameworkInfo = new() { User = "u", Name = "n" } } }.ToByteArray(),
            new SchedulerApi.Call { Type = SchedulerApi.Call.Types.Type.Revive, FrameworkId = new() { Value = "F" } }.ToByteArray(),
            new SchedulerApi.Call { Type = SchedulerApi.Call.Types.Type.Decline, FrameworkId = new() { Value = "F" }, Decline = new() { OfferIds = { new Mesos.Protocol.Wire.OfferID { Value = "O" } } } }.ToByteArray(),
        ];

        for (var i = 0; i < 2000; i++)
        {
            var toOperator = random.Next(2) == 0;
            var pool = toOperator ? operatorCalls : schedulerCalls;
            var body = (byte[])pool[random.Next(pool.Length)].Clone();
            switch (random.Next(4))
            {
                case 0:
                    break;
                case 1:
                    for (var n = random.Next(1, 4); n > 0 && body.Length > 0; n--)
                    {
                        body[random.Next(body.Length)] = (byte)random.Next(256);
                    }

                    break;
                case 2:
                    body = body[..random.Next(body.Length + 1)];
                    break;
                default:
                    body = new byte[random.Next(64)];
                    random.NextBytes(body);
                    break;
            }

            var status = await PostAsync(http, toOperator ? "/api/v1" : "/api/v1/scheduler", body, "application/x-protobuf", cts.Token);
            Assert.True(Documented.Contains(status), $"seed {seed}, case {i}: {status} for {Convert.ToHexString(body)}");
        }

        using var health = await http.GetAsync("/health", cts.Token);
        Assert.True(health.IsSuccessStatusCode, $"seed {seed}: the master stopped serving");
    }
}
