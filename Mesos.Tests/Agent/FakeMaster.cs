using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesos.Tests.Agent;

/// <summary>Hosts <see cref="FakeMasterService"/> the way the master serves agents: gRPC-Web on an HTTP/1.1 port.</summary>
internal sealed class FakeMaster : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeMaster(WebApplication app, FakeMasterService service, int port)
    {
        _app = app;
        Service = service;
        Port = port;
    }

    public FakeMasterService Service { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<FakeMaster> StartAsync()
    {
        var service = new FakeMasterService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.UseGrpcWeb();
        app.MapGrpcService<FakeMasterService>().EnableGrpcWeb();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeMaster(app, service, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        Service.EndStream();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
