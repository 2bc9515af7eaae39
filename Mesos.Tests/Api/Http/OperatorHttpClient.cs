using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Mesos.Tests.Api.Http;

/// <summary>An operator as Mesos' operator-http-api.md describes one: raw JSON master.Call bodies POSTed to /api/v1.</summary>
public sealed class OperatorHttpClient(int port) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };

    public HttpClient Http => http;

    public static HttpRequestMessage Request(string body, string contentType = "application/json") => new(HttpMethod.Post, "/api/v1")
    {
        Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } },
    };

    public async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>A call that must answer 200 with a master.Response of the same type; returns its payload object.</summary>
    public async Task<JsonObject> GetAsync(string type, CancellationToken ct)
    {
        var field = type.ToLowerInvariant();
        using var request = Request($$"""{"type":"{{type}}"}""");
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"{type}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(type, (string?)json["type"]);
        return json[field]!.AsObject();
    }

    public async Task<(int Status, string Body)> CallAsync(JsonObject call, CancellationToken ct)
    {
        using var request = Request(call.ToJsonString());
        return await SendAsync(request, ct);
    }

    public async Task<RecordIoReader> SubscribeAsync(CancellationToken ct)
    {
        var request = Request("""{"type":"SUBSCRIBE"}""");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return new RecordIoReader(await response.Content.ReadAsStreamAsync(ct));
    }

    public void Dispose() => http.Dispose();
}
