using System.Net;
using Mesos.Core.Allocation;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Masters;
using Mesos.Core.State;
using Mesos.EventLog.Marten.Leadership;
using Mesos.EventLog.Port;
using Mesos.Hosting.Files;
using Mesos.Hosting.Logging;
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
    private readonly MasterLoop loop;
    private volatile bool lostLeadership;

    private MasterServer(WebApplication app, IEventLog log, PostgresLeaderLock? leaderLock, int port, MasterIdentity identity)
    {
        this.app = app;
        this.log = log;
        this.leaderLock = leaderLock;
        loop = app.Services.GetRequiredService<MasterLoop>();
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

    /// <summary>Whether this master stopped on a failure: lost leadership, or its loop could not append (the process exits non-zero).</summary>
    public bool Failed => lostLeadership || loop.Failure is not null;

    public static Task<MasterServer> StartAsync(MasterOptions options, CancellationToken ct, Action<ILoggingBuilder>? configureLogging = null) =>
        StartAsync(options, ct, configureLogging, beforeElection: null);

    /// <param name="beforeElection">
    /// For tests of the election: runs once a master holds the leader lock of a shared registry and has started, just
    /// before it appends its election event, which is where a lease running out must send it back to standby.
    /// </param>
    internal static async Task<MasterServer> StartAsync(
        MasterOptions options,
        CancellationToken ct,
        Action<ILoggingBuilder>? configureLogging,
        Func<PostgresLeaderLock, CancellationToken, Task>? beforeElection)
    {
        Directory.CreateDirectory(options.WorkDir);
        var log = await RegistryFactory.OpenAsync(options.Registry, ct).ConfigureAwait(false);
        try
        {
            if (options.Registry.Kind != RegistryKind.Postgres)
            {
                var replay = await LogReplay.RecoverAsync(log, long.MaxValue, useSnapshots: true, ct).ConfigureAwait(false);
                var alone = await LeadAsync(options, log, null, replay, configureLogging, beforeElection, ct).ConfigureAwait(false);
                return alone.Server ?? throw new InvalidOperationException("Could not elect this master");
            }

            // With a shared registry, a master is a standby until it holds the leader lock; only then does it become
            // the master below, on the port it answered on as a standby, with the state it kept folded meanwhile.
            // Holding the lock is not yet leading: until its election event is in the log, the lease can run out
            // (a long pause, a starved machine) and another master take over. Then this one goes back to standby
            // and tries again, rather than exiting or leading without the lock.
            using var standbyLogging = LoggerFactory.Create(logging => ConfigureLogging(logging, configureLogging, options.LogDir));
            var standbyLogger = standbyLogging.CreateLogger("Mesos.Master");
            _ = Task.Run(() => WarmUpAsync(options, log, configureLogging, standbyLogger), CancellationToken.None);
            while (true)
            {
                var leadership = await StandbyMaster.WaitForLeadershipAsync(options, log, standbyLogger, ct).ConfigureAwait(false);
                options = options with { Port = leadership.Port };
                var attempt = await LeadAsync(options, log, leadership.Lock, leadership.Replay, configureLogging, beforeElection, ct).ConfigureAwait(false);
                if (attempt.Server is { } server)
                {
                    return server;
                }

                // The same port next time: agents and frameworks know this master by it.
                options = options with { Port = attempt.Port };
            }
        }
        catch
        {
            await log.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the master on <paramref name="replay"/> and elects it; no server when it lost the lock before its election was safely in the log.</summary>
    private static async Task<(MasterServer? Server, int Port)> LeadAsync(
        MasterOptions options,
        IEventLog log,
        PostgresLeaderLock? leaderLock,
        ReplayResult replay,
        Action<ILoggingBuilder>? configureLogging,
        Func<PostgresLeaderLock, CancellationToken, Task>? beforeElection,
        CancellationToken ct)
    {
        WebApplication app;
        try
        {
            // The read models' documents are opened per attempt: a master that steps back disposes them with its application.
            var documents = options.Registry.Kind == RegistryKind.Postgres
                ? await MasterDocuments.OpenAsync(options.Registry.ConnectionString!, ct).ConfigureAwait(false)
                : null;
            app = Build(options, log, replay, configureLogging, documents);
        }
        catch
        {
            await DisposeAsync(leaderLock).ConfigureAwait(false);
            throw;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mesos.Master");
        try
        {
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

            if (leaderLock is not null && beforeElection is not null)
            {
                await beforeElection(leaderLock, ct).ConfigureAwait(false);
            }

            // The election is appended at the position this master folded to, so it lands only if nobody wrote
            // since: that is what keeps the log one line. The lock is asked again once it has landed: held then
            // means held throughout, so no other master can have been elected meanwhile.
            CommandResult elected;
            try
            {
                elected = await app.Services.GetRequiredService<MasterLoop>()
                    .SubmitAsync(new ElectMaster(identity) { Principal = "master", MinAllocatableResources = options.MinAllocatableResources }).ConfigureAwait(false);
            }
            catch (LogFencedException fenced) when (leaderLock is not null)
            {
                logger.LogWarning("Another master wrote to {Registry} before this one's election ({Reason}): back to standby", options.Registry.Describe(), fenced.Message);
                await StepBackAsync(app, leaderLock).ConfigureAwait(false);
                return (null, port);
            }

            if (elected.Error is { } error)
            {
                throw new InvalidOperationException("Could not elect this master: " + error.Message);
            }

            if (leaderLock is not null && !await leaderLock.IsHeldAsync(ct).ConfigureAwait(false))
            {
                logger.LogWarning(
                    "Lost the leader lock of {Registry} before its election at log position {Position} was known to be safe: back to standby",
                    options.Registry.Describe(), elected.Position);
                await StepBackAsync(app, leaderLock).ConfigureAwait(false);
                return (null, port);
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

            return (server, port);
        }
        catch
        {
            await StepBackAsync(app, leaderLock).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Builds, and throws away, the application a standby will run once it leads. The first build in a process costs
    /// seconds of assembly loading and JIT (more on a loaded machine); paid while standing by, it no longer comes
    /// between taking the leader lock and the election. Nothing is started or bound.
    /// </summary>
    private static async Task WarmUpAsync(MasterOptions options, IEventLog log, Action<ILoggingBuilder>? configureLogging, ILogger logger)
    {
        try
        {
            var app = Build(options, log, new ReplayResult(ClusterState.Empty, 0, 0, TimeSpan.Zero), configureLogging, documents: null);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Only a lost head start: the real build reports whatever is wrong.
            logger.LogDebug(ex, "Building the leader's application ahead failed");
        }
    }

    private static async Task StepBackAsync(WebApplication app, PostgresLeaderLock? leaderLock)
    {
        // The log belongs to the caller (it outlives an attempt); the application does not dispose it.
        try
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await DisposeAsync(leaderLock).ConfigureAwait(false);
        }
    }

    private static async Task DisposeAsync(PostgresLeaderLock? leaderLock)
    {
        if (leaderLock is not null)
        {
            await leaderLock.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static WebApplication Build(MasterOptions options, IEventLog log, ReplayResult replay, Action<ILoggingBuilder>? configureLogging, MasterDocuments? documents)
    {
        var builder = WebApplication.CreateSlimBuilder();
        ConfigureLogging(builder.Logging, configureLogging, options.LogDir);

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
        services.AddSingleton<IFileTree>(MasterFiles.Of(options));
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
        services.AddReadModels(documents);

        var app = builder.Build();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.MapGrpcService<SchedulerService>();
        app.MapGrpcService<AgentRegistryService>();
        app.MapGrpcService<OperatorService>();
        MasterEndpoints.Map(app);
        FilesHttpEndpoints.Map(app, app.Services.GetRequiredService<IFileTree>());
        UiEndpoints.Map(app);
        PrometheusEndpoint.Map(app);
        return app;
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

    private static void ConfigureLogging(ILoggingBuilder logging, Action<ILoggingBuilder>? configureLogging, string? logDir)
    {
        logging.ClearProviders();
        if (logDir is not null)
        {
            logging.AddProvider(new FileLoggerProvider(FileLoggerProvider.FileIn(logDir, "mesos-master")));
        }

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
