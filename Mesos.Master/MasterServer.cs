using System.Net;
using Mesos.Core.Allocation;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Masters;
using Mesos.EventLog.Port;
using Mesos.EventLog.Sqlite;
using Mesos.Master.Allocation;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Api.Http;
using Mesos.Master.Configuration;
using Mesos.Master.Loop;
using Mesos.Master.Metrics;
using Mesos.Master.Notify;
using Mesos.Master.ReadModels;
using Mesos.Master.Recovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Master;

/// <summary>
/// A running master: its log replayed, its loop elected, its HTTP port listening. Used by <c>mesos master</c> and,
/// in-process, by tests (port 0 picks a free port).
/// </summary>
public sealed class MasterServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly IEventLog log;

    private MasterServer(WebApplication app, IEventLog log, int port, MasterIdentity identity)
    {
        this.app = app;
        this.log = log;
        Port = port;
        Identity = identity;
    }

    public int Port { get; }

    public MasterIdentity Identity { get; }

    public ClusterStateHolder State => app.Services.GetRequiredService<ClusterStateHolder>();

    public MasterLoop Loop => app.Services.GetRequiredService<MasterLoop>();

    public IServiceProvider Services => app.Services;

    public CancellationToken Stopping => app.Lifetime.ApplicationStopping;

    public static async Task<MasterServer> StartAsync(MasterOptions options, CancellationToken ct, Action<ILoggingBuilder>? configureLogging = null)
    {
        Directory.CreateDirectory(options.WorkDir);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("Grpc", LogLevel.Warning);

            // A failed start is reported once, in one line, by MasterHost; the host would add a stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Http1(ListenOptions o) => o.Protocols = HttpProtocols.Http1;
            if (options.Ip is { } ip)
            {
                kestrel.Listen(IPAddress.Parse(ip), options.Port, Http1);
            }
            else
            {
                kestrel.ListenAnyIP(options.Port, Http1);
            }
        });

        var log = await SqliteEventLog.OpenAsync(options.LogPath, ct).ConfigureAwait(false);
        ReplayResult replay;
        try
        {
            replay = await LogReplay.ReplayAsync(log, long.MaxValue, ct).ConfigureAwait(false);
        }
        catch
        {
            await log.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IEventLog>(log);
        services.AddSingleton<IAllocator, HierarchicalDrfAllocator>();
        services.AddSingleton<ClusterDecider>();
        services.AddSingleton(new ClusterStateHolder(new ClusterSnapshot(replay.State, replay.Position)));
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<OutboundRouter>();
        services.AddSingleton<AllocationTrigger>();
        services.AddSingleton<MasterLoop>();
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton<AllocationRecorder>();
        services.AddSingleton<IMetricsSource, AllocatorMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<MasterLoop>());
        services.AddHostedService<MasterTimers>();
        services.AddMediator(o => o.ServiceLifetime = ServiceLifetime.Singleton);
        services.AddGrpc(o => o.EnableDetailedErrors = true);
        services.AddReadModels();

        var app = builder.Build();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.MapGrpcService<SchedulerService>();
        app.MapGrpcService<AgentRegistryService>();
        app.MapGrpcService<OperatorService>();
        MasterEndpoints.Map(app);
        UiEndpoints.Map(app);
        PrometheusEndpoint.Map(app);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mesos.Master");
        var holder = app.Services.GetRequiredService<ClusterStateHolder>();
        logger.LogInformation(
            "Replayed {Events} events (log position {Position}) from {Path} in {Elapsed:0.0} ms; state hash {Hash}",
            replay.Events, replay.Position, options.LogPath, replay.Elapsed.TotalMilliseconds, holder.Current.Hash);

        await app.StartAsync(ct).ConfigureAwait(false);
        var port = BoundPort(app);
        var identity = new MasterIdentity(
            Guid.NewGuid().ToString(),
            options.Hostname,
            options.Ip ?? "127.0.0.1",
            port,
            MasterEndpoints.Version);

        var elected = await app.Services.GetRequiredService<MasterLoop>()
            .SubmitAsync(new ElectMaster(identity) { Principal = "master" }).ConfigureAwait(false);
        if (elected.Error is { } error)
        {
            throw new InvalidOperationException("Could not elect this master: " + error.Message);
        }

        var changedWeights = options.Weights.Where(w => holder.Current.State.RoleOf(w.Role).Weight != w.Weight).ToList();
        if (changedWeights.Count > 0)
        {
            // The flag is configuration, not state: it enters the log as an event, so replay never reads flags.
            var weighted = await app.Services.GetRequiredService<MasterLoop>()
                .SubmitAsync(new UpdateWeights([.. changedWeights]) { Principal = "master" }).ConfigureAwait(false);
            if (weighted.Error is { } weightsError)
            {
                throw new InvalidOperationException("Could not apply --weights: " + weightsError.Message);
            }
        }

        logger.LogInformation(
            "Master {Id} elected at log position {Position}; listening on http://{Host}:{Port} (web UI, JSON endpoints, gRPC-Web)",
            identity.Id, elected.Position, options.Hostname, port);
        return new MasterServer(app, log, port, identity);
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => app.WaitForShutdownAsync(ct);

    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        await log.DisposeAsync().ConfigureAwait(false);
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel reported no addresses");
        return new Uri(addresses.First().Replace("*", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
    }
}
