using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// A v1 scheduler client as Mesos' scheduler-http-api.md describes one, with a raw HttpClient: SUBSCRIBE on one
/// connection kept open, every other call on its own request carrying Mesos-Stream-Id.
/// </summary>
public sealed class SchedulerHttpClient : IDisposable
{
    private readonly HttpClient http;
    private HttpResponseMessage? subscription;

    public SchedulerHttpClient(int port)
    {
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public string FrameworkId { get; private set; } = string.Empty;

    public string StreamId { get; private set; } = string.Empty;

    public RecordIoReader? Events { get; private set; }

    public async Task<JsonObject> SubscribeAsync(JsonObject frameworkInfo, CancellationToken ct)
    {
        var call = new JsonObject { ["type"] = "SUBSCRIBE", ["subscribe"] = new JsonObject { ["framework_info"] = frameworkInfo } };
        using var request = Request(call.ToJsonString());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        subscription = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, subscription.StatusCode);
        Assert.Equal("application/json", subscription.Content.Headers.ContentType?.MediaType);
        Assert.True(subscription.Headers.TransferEncodingChunked);
        StreamId = subscription.Headers.GetValues("Mesos-Stream-Id").Single();
        Events = new RecordIoReader(await subscription.Content.ReadAsStreamAsync(ct));
        var subscribed = (await Events.NextAsync(ct))!;
        Assert.Equal("SUBSCRIBED", (string?)subscribed["type"]);
        FrameworkId = (string)subscribed["subscribed"]!["framework_id"]!["value"]!;
        return subscribed;
    }

    /// <summary>Events until one satisfies <paramref name="match"/>; heartbeats and unrelated events are skipped.</summary>
    public async Task<JsonObject> NextAsync(Func<JsonObject, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var @event = await Events!.NextAsync(ct) ?? throw new EndOfStreamException("the subscription stream ended");
            if (match(@event))
            {
                return @event;
            }
        }
    }

    public async Task<(int Status, string Body)> CallAsync(string type, JsonObject? payload, CancellationToken ct)
    {
        var call = new JsonObject { ["framework_id"] = new JsonObject { ["value"] = FrameworkId }, ["type"] = type };
        if (payload is not null)
        {
            call[type.ToLowerInvariant()] = payload;
        }

        using var request = Request(call.ToJsonString());
        request.Headers.Add("Mesos-Stream-Id", StreamId);
        using var response = await http.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    public async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    public static HttpRequestMessage Request(string body, string contentType = "application/json") => new(HttpMethod.Post, "/api/v1/scheduler")
    {
        Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } },
    };

    public void CloseSubscription() => subscription?.Dispose();

    public void Dispose()
    {
        subscription?.Dispose();
        http.Dispose();
    }
}
