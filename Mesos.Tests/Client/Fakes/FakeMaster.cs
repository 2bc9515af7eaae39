using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesos.Tests.Client.Fakes;

/// <summary>
/// A master on 127.0.0.1 (a free port) serving the Scheduler and Operator gRPC services over gRPC-Web on HTTP/1.1,
/// as the real master does on port 5050, backed by <see cref="FakeScheduler"/> and <see cref="FakeOperator"/>.
/// </summary>
public sealed class FakeMaster : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeMaster(WebApplication app, FakeScheduler scheduler, FakeOperator @operator, int port)
    {
        this.app = app;
        Scheduler = scheduler;
        Operator = @operator;
        Port = port;
    }

    public FakeScheduler Scheduler { get; }

    public FakeOperator Operator { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<FakeMaster> StartAsync()
    {
        var scheduler = new FakeScheduler();
        var @operator = new FakeOperator();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // Open event streams would otherwise hold StopAsync for the default 30 s.
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(scheduler);
        builder.Services.AddSingleton(@operator);
        var app = builder.Build();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.MapGrpcService<FakeScheduler>();
        app.MapGrpcService<FakeOperator>();
        app.MapGet("/health", () => "OK");
        await app.StartAsync();
        return new FakeMaster(app, scheduler, @operator, new Uri(app.Urls.First()).Port);
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on (it was free a moment ago).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
