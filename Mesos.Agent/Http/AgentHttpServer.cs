using System.Net;
using Mesos.Agent.Http.Operator;
using Mesos.Hosting.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Agent.Http;

/// <summary>The agent's HTTP endpoints on <c>--port</c> (HTTP/1.1): health, state, flags and sandbox files.</summary>
internal sealed class AgentHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AgentHttpServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<AgentHttpServer> StartAsync(AgentCore core, SandboxFiles files, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var options = core.Options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = options.WorkDir });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, NoSignalsHostLifetime>();
        builder.Services.AddSingleton(core);
        builder.Services.AddGrpc();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Http1(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => listen.Protocols = HttpProtocols.Http1;
            if (options.Ip is { } ip)
            {
                kestrel.Listen(IPAddress.Parse(ip), options.Port, Http1);
            }
            else
            {
                kestrel.ListenAnyIP(options.Port, Http1);
            }
        });

        var app = builder.Build();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.MapGrpcService<AgentMonitorService>();
        var startTime = DateTimeOffset.UtcNow;
        foreach (var prefix in new[] { string.Empty, "/slave(1)" })
        {
            app.MapGet(prefix + "/health", () => Results.Ok());
            app.MapGet(prefix + "/state", () => Json(core.Read(s => StateJson.State(s, core, startTime))));
            app.MapGet(prefix + "/state.json", () => Json(core.Read(s => StateJson.State(s, core, startTime))));
            app.MapGet(prefix + "/flags", () => Json(StateJson.Flags(options)));
            app.MapGet(prefix + "/monitor/statistics", () => Json(MonitorStatistics.Json(MonitorStatistics.Collect(core, TimeProvider.System))));
            app.MapGet(prefix + "/monitor/statistics.json", () => Json(MonitorStatistics.Json(MonitorStatistics.Collect(core, TimeProvider.System))));
        }

        app.MapGet("/version", () => Json(new System.Text.Json.Nodes.JsonObject { ["version"] = AgentCore.Version }));
        FilesHttpEndpoints.Map(app, files);
        AgentOperatorEndpoint.Map(app, core, files);
        ExecutorApi.ExecutorHttpEndpoint.Map(app, core, loggers.CreateLogger("Mesos.Agent.ExecutorApi"));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AgentHttpServer(app, new Uri(address).Port);
    }

    private static IResult Json(System.Text.Json.Nodes.JsonNode node) => Results.Text(node.ToJsonString(), "application/json", System.Text.Encoding.UTF8);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
