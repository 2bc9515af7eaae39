using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesos.Tests.Client.Fakes;

/// <summary>An agent's <c>/state</c> and <c>/files/read</c> with Mesos' JSON shapes, serving files from memory.</summary>
public sealed class FakeAgent : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeAgent(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The agent's <c>/state</c> reply.</summary>
    public JsonObject State { get; set; } = [];

    /// <summary>Files by absolute path.</summary>
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Largest chunk one read returns, to make the client loop.</summary>
    public int MaxChunk { get; set; } = 7;

    public static async Task<FakeAgent> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // Open event streams would otherwise hold StopAsync for the default 30 s.
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeAgent? agent = null;
        app.MapGet("/state", () => Results.Content(agent!.State.ToJsonString(), "application/json"));
        app.MapGet("/files/read", (string path, long offset, int length) =>
        {
            if (!agent!.Files.TryGetValue(path, out var content))
            {
                return Results.NotFound();
            }

            var start = (int)Math.Min(offset, content.Length);
            var count = Math.Min(Math.Min(length, agent.MaxChunk), content.Length - start);
            var data = Encoding.UTF8.GetString(content, start, count);
            return Results.Content(new JsonObject { ["offset"] = offset, ["data"] = data }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        agent = new FakeAgent(app, new Uri(app.Urls.First()).Port);
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
