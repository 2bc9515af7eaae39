using System.Diagnostics;
using System.Net;
using Mesos.Core.Masters;
using Mesos.Core.State;
using Mesos.EventLog.Marten;
using Mesos.EventLog.Marten.Leadership;
using Mesos.EventLog.Port;
using Mesos.Master.Configuration;
using Mesos.Master.Recovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesos.Master.Registry;

/// <summary>
/// A master that is not (yet) the leader of a shared PostgreSQL registry. It folds the log once, then tails it so
/// that its state stays hot, answers on its port for the leader (HTTP: 307 to the same path on the leader, //host:port as Mesos;
/// gRPC: UNAVAILABLE naming the leader, so that agents and clients try their next master), and tries the
/// leader lock twice a second. When it gets the lock it folds what is left of the log, frees its port for the
/// full master and hands over the state: a takeover costs the tail since the last poll, not a replay.
/// </summary>
internal sealed class StandbyMaster
{
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(500);

    private ClusterState state;
    private long position;
    private long events;

    private StandbyMaster(ReplayResult replay)
    {
        state = replay.State;
        position = replay.Position;
        events = replay.Events;
    }

    /// <summary>The lock every master of one registry competes for.</summary>
    public static string LockName(MartenEventLogOptions log) => $"mesos-leader:{log.Schema}:{log.StreamKey}";

    /// <summary>Returns once this master holds the leader lock, with the log folded up to the head as it was then.</summary>
    public static async Task<Leadership> WaitForLeadershipAsync(MasterOptions options, IEventLog log, ILogger logger, CancellationToken ct)
    {
        var connectionString = options.Registry.ConnectionString!;
        var lockName = LockName(new MartenEventLogOptions());
        var recovered = await LogReplay.RecoverAsync(log, long.MaxValue, useSnapshots: true, ct).ConfigureAwait(false);
        foreach (var rejected in recovered.Rejections)
        {
            logger.LogWarning("Ignored the snapshot at log position {Position}: it {Reason}", rejected.Position, rejected.Reason);
        }

        var standby = new StandbyMaster(recovered);

        var held = await PostgresLeaderLock.TryAcquireAsync(connectionString, lockName, options.RegistryLease, ct).ConfigureAwait(false);
        if (held is not null)
        {
            return new Leadership(held, standby.Result(TimeSpan.Zero), options.Port);
        }

        await using var redirects = await StartRedirectsAsync(options, standby, ct).ConfigureAwait(false);
        var port = BoundPort(redirects);
        logger.LogInformation(
            "Standby on port {Port}: the registry {Registry} has a leader ({Leader}); following its log from position {Position}",
            port, options.Registry.Describe(), Describe(standby.Leader), standby.position);

        using var tailing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tail = standby.TailAsync(log, tailing.Token);
        try
        {
            while (true)
            {
                await Task.Delay(LockRetry, ct).ConfigureAwait(false);
                if (tail.IsFaulted)
                {
                    await tail.ConfigureAwait(false);
                }

                held = await PostgresLeaderLock.TryAcquireAsync(connectionString, lockName, options.RegistryLease, ct).ConfigureAwait(false);
                if (held is not null)
                {
                    break;
                }
            }
        }
        finally
        {
            await tailing.CancelAsync().ConfigureAwait(false);
            try
            {
                await tail.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        // Whatever the old leader committed after the last tailed event (it can commit no more: its next
        // append meets the election event this master is about to write).
        var takeover = Stopwatch.StartNew();
        try
        {
            await foreach (var recorded in log.ReadAsync(standby.position, ct).ConfigureAwait(false))
            {
                standby.Apply(recorded);
            }

            await redirects.StopAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await held.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        logger.LogInformation("Took the leader lock at log position {Position}; caught up in {Elapsed:0.0} ms", standby.position, takeover.Elapsed.TotalMilliseconds);
        return new Leadership(held, standby.Result(takeover.Elapsed), port);
    }

    private MasterIdentity? Leader => Volatile.Read(ref state).Master;

    private static string Describe(MasterIdentity? leader) => leader is null ? "not yet known" : $"{leader.Hostname}:{leader.Port}";

    private static async Task<WebApplication> StartRedirectsAsync(MasterOptions options, StandbyMaster standby, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
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
        var app = builder.Build();
        app.Run(context => standby.AnswerAsync(context));
        await app.StartAsync(ct).ConfigureAwait(false);
        return app;
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel reported no addresses");
        return new Uri(addresses.First().Replace("*", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
    }

    private Task AnswerAsync(HttpContext context)
    {
        var leader = Leader;
        var request = context.Request;
        if (request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // Trailers-only gRPC(-Web) answer: the status in the headers, no body.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = request.ContentType;
            context.Response.Headers["grpc-status"] = "14";
            context.Response.Headers["grpc-message"] = leader is null
                ? "this master is a standby and no leading master is known yet"
                : $"this master is a standby; the leading master is {leader.Hostname}:{leader.Port}";
            return Task.CompletedTask;
        }

        if (leader is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return context.Response.WriteAsync("No leader elected");
        }

        // As Mesos' Master::Http::redirect: the Location is scheme-relative (//host:port, so that the client keeps
        // http or https), /redirect and /master/redirect name the leader alone, anything under them is 404 (no
        // redirect loops), and every other request goes to the same path and query on the leader, with 307 so
        // that a POST keeps its method and body.
        var path = request.Path.Value ?? "/";
        if (path is "/redirect" or "/master/redirect")
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = $"//{leader.Hostname}:{leader.Port}";
        }
        else if (path.StartsWith("/redirect/", StringComparison.Ordinal) || path.StartsWith("/master/redirect/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = $"//{leader.Hostname}:{leader.Port}{request.PathBase}{path}{request.QueryString}";
        }

        return Task.CompletedTask;
    }

    private async Task TailAsync(IEventLog log, CancellationToken ct)
    {
        await foreach (var recorded in log.TailAsync(position, ct).ConfigureAwait(false))
        {
            Apply(recorded);
        }
    }

    private void Apply(RecordedEvent recorded)
    {
        Volatile.Write(ref state, ClusterFold.Apply(state, recorded.Event));
        position = recorded.Position;
        events++;
    }

    private ReplayResult Result(TimeSpan elapsed) => new(state, position, events, elapsed);

    /// <summary>This master leads: it holds <see cref="Lock"/>, its state is <see cref="Replay"/>, and it listens on <see cref="Port"/> (0: any).</summary>
    public sealed record Leadership(PostgresLeaderLock Lock, ReplayResult Replay, int Port);
}
