using System.Net;
using Mesos.Core.Allocation;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Masters;
using Mesos.EventLog.Marten.Leadership;
using Mesos.EventLog.Port;
using Mesos.Master.Allocation;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Api.Http;
using Mesos.Master.Configuration;
using Mesos.Master.Loop;
using Mesos.Master.Metrics;
using Mesos.Master.Notify;
using Mesos.Master.ReadModels;
using Mesos.Master.Recovery;
using Mesos.Master.Registry;
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
    private readonly PostgresLeaderLock? leaderLock;
    private volatile bool lostLeadership;

    private MasterServer(WebApplication app, IEventLog log, PostgresLeaderLock? leaderLock, int port, MasterIdentity identity)
    {
        this.app = app;
        this.log = log;
        this.leaderLock = leaderLock;
        Port = port;
        Identity = identity;
    }

    public int Port { get; }

    public MasterIdentity Identity { get; }

    public ClusterStateHolder State => app.Services.GetRequiredService<ClusterStateHolder>();

    public MasterLoop Loop => app.Services.GetRequiredService<MasterLoop>();

    public IServiceProvider Services => app.Services;

    public CancellationToken Stopping => app.Lifetime.ApplicationStopping;

    /// <summary>Whether this master stopped because it lost the leader lock of a shared registry (the process should exit non-zero, as Mesos' does).</summary>
    public bool LostLeadership => lostLeadership;

    public static async Task<MasterServer> StartAsync(MasterOptions options, CancellationToken ct, Action<ILoggingBuilder>? configureLogging = null)
    {
        Directory.CreateDirectory(options.WorkDir);

        // With a shared registry, a master is a standby until it holds the leader lock; only then does it become
        // the master below, on the port it answered on as a standby, with the state it kept folded meanwhile.
        var log = await RegistryFactory.OpenAsync(options.Registry, ct).ConfigureAwait(false);
        PostgresLeaderLock? leaderLock = null;
        ReplayResult replay;
        try
        {
            if (options.Registry.Kind == RegistryKind.Postgres)
            {
                using var standbyLogging = LoggerFactory.Create(logging => ConfigureLogging(logging, configureLogging));
                var leadership = await StandbyMaster.WaitForLeadershipAsync(options, log, standbyLogging.CreateLogger("Mesos.Master"), ct).ConfigureAwait(false);
                leaderLock = leadership.Lock;
                replay = leadership.Replay;
                options = options with { Port = leadership.Port };
            }
            else
            {
                replay = await LogReplay.RecoverAsync(log, long.MaxValue, useSnapshots: true, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await log.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var builder = WebApplication.CreateSlimBuilder();
        ConfigureLogging(builder.Logging, configureLogging);

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

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IEventLog>(log);
        services.AddSingleton<IAllocator>(new HierarchicalDrfAllocator());
        services.AddSingleton<ClusterDecider>();
        services.AddSingleton(new ClusterStateHolder(new ClusterSnapshot(replay.State, replay.Position)));
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<OutboundRouter>();
        services.AddSingleton<AllocationTrigger>();
        services.AddSingleton<MasterLoop>();
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton<AllocationRecorder>();
        services.AddSingleton<IMetricsSource, AllocatorMetrics>();
        services.AddSingleton<MasterRuntime>();
        services.AddSingleton<MasterMetrics>();
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<MasterMetrics>());
        services.AddHostedService(sp => sp.GetRequiredService<MasterMetrics>());
        services.AddHostedService(sp => sp.GetRequiredService<MasterLoop>());
        services.AddHostedService<MasterTimers>();
        // The log registered above gets decorated (timings); snapshots go to the adapter itself.
        services.AddHostedService(sp => new SnapshotWriter(
            options,
            sp.GetRequiredService<ClusterStateHolder>(),
            log as ISnapshotStore,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SnapshotWriter>>()));
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
        foreach (var rejected in replay.Rejections)
        {
            logger.LogWarning("Ignored the snapshot at log position {Position}: it {Reason}", rejected.Position, rejected.Reason);
        }

        logger.LogInformation(
            "Replayed {Events} events (log position {Position}) from {Path} in {Elapsed:0.0} ms, after the snapshot at position {SnapshotPosition}; state hash {Hash}",
            replay.Events, replay.Position, replay.SnapshotPosition, options.Registry.Describe(), replay.Elapsed.TotalMilliseconds, holder.Current.Hash);

        await app.StartAsync(ct).ConfigureAwait(false);
        var port = BoundPort(app);
        var identity = new MasterIdentity(
            Guid.NewGuid().ToString(),
            options.Hostname,
            options.Ip ?? "127.0.0.1",
            port,
            MasterEndpoints.Version);

        var elected = await app.Services.GetRequiredService<MasterLoop>()
            .SubmitAsync(new ElectMaster(identity) { Principal = "master", MinAllocatableResources = options.MinAllocatableResources }).ConfigureAwait(false);
        if (elected.Error is { } error)
        {
            throw new InvalidOperationException("Could not elect this master: " + error.Message);
        }

        app.Services.GetRequiredService<MasterRuntime>().Elected(identity, elected.Events.Length > 0 ? elected.Events[0].At : DateTimeOffset.UtcNow);

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
        var server = new MasterServer(app, log, leaderLock, port, identity);
        if (leaderLock is not null)
        {
            _ = leaderLock.Lost.ContinueWith(
                _ =>
                {
                    // Mesos' master exits when it loses leadership; a standby (or this process, restarted) takes over.
                    logger.LogCritical("Lost the leader lock of {Registry}: stepping down", options.Registry.Describe());
                    server.lostLeadership = true;
                    app.Lifetime.StopApplication();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return server;
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => app.WaitForShutdownAsync(ct);

    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        await log.DisposeAsync().ConfigureAwait(false);
        if (leaderLock is not null)
        {
            await leaderLock.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, Action<ILoggingBuilder>? configureLogging)
    {
        logging.ClearProviders();
        if (configureLogging is null)
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            logging.AddFilter("Microsoft", LogLevel.Warning);
            logging.AddFilter("Grpc", LogLevel.Warning);

            // A failed start is reported once, in one line, by MasterHost; the host would add a stack trace.
            logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }
        else
        {
            configureLogging(logging);
        }
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel reported no addresses");
        return new Uri(addresses.First().Replace("*", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
    }
}
