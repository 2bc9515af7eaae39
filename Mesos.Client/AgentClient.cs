using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Mesos.Client;

/// <summary>
/// An agent's JSON endpoints that tools need: <c>/state</c> (to find a task's sandbox) and <c>/files/read</c>
/// (to read its stdout and stderr), with Mesos' request and reply shapes.
/// </summary>
public sealed class AgentClient : IDisposable
{
    /// <summary>Bytes asked for per <c>/files/read</c> call.</summary>
    public const int ChunkLength = 65536;

    private readonly HttpClient http;

    public AgentClient(string host, int port, TimeSpan? timeout = null)
    {
        Endpoint = new MasterEndpoint(host, port);
        http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = Endpoint.BaseUri,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The agent's <c>host:port</c> (the type is shared with masters: both are just addresses).</summary>
    public MasterEndpoint Endpoint { get; }

    /// <summary>The agent's <c>/state</c> JSON.</summary>
    public async Task<JsonDocument> GetStateAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri("/state", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "/state", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The sandbox of <paramref name="taskId"/> on this agent, or null when the agent does not know the task.</summary>
    public async Task<AgentSandbox?> FindSandboxAsync(string taskId, string? frameworkId = null, CancellationToken cancellationToken = default)
    {
        using var state = await GetStateAsync(cancellationToken).ConfigureAwait(false);
        return AgentSandboxes.Find(state.RootElement, taskId, frameworkId);
    }

    /// <summary>Reads up to <paramref name="length"/> bytes of <paramref name="path"/> at <paramref name="offset"/>.</summary>
    /// <exception cref="FileNotFoundException">The agent has no such file.</exception>
    public async Task<AgentFileChunk> ReadAsync(string path, long offset, int length = ChunkLength, CancellationToken cancellationToken = default)
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"/files/read?path={Uri.EscapeDataString(path)}&offset={offset}&length={length}");
        using var response = await http.GetAsync(new Uri(query, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"File '{path}' not found on agent {Endpoint}", path);
        }

        await EnsureSuccessAsync(response, "/files/read", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return ParseChunk(body, offset);
    }

    /// <summary>Copies the whole file to <paramref name="destination"/>, chunk by chunk, until the agent returns no more data.</summary>
    public async Task<long> CopyFileAsync(string path, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long offset = 0;
        while (true)
        {
            var chunk = await ReadAsync(path, offset, ChunkLength, cancellationToken).ConfigureAwait(false);
            if (chunk.Data.IsEmpty)
            {
                return offset;
            }

            await destination.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
            offset = chunk.Offset + chunk.Data.Length;
        }
    }

    // Mesos replies {"offset": n, "data": "..."}: the bytes as a JSON string, so the byte count is that of its UTF-8 form.
    internal static AgentFileChunk ParseChunk(byte[] body, long requestedOffset)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var offset = root.TryGetProperty("offset", out var o) && o.TryGetInt64(out var at) ? at : requestedOffset;
        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() ?? string.Empty : string.Empty;
        return new AgentFileChunk(offset, Encoding.UTF8.GetBytes(data));
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var firstLine = text.Split('\n', 2)[0].Trim();
        throw new HttpRequestException(
            $"Agent at {Endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase} for {what}" + (firstLine.Length > 0 ? ": " + firstLine : string.Empty),
            null,
            response.StatusCode);
    }

    public void Dispose() => http.Dispose();
}
