using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Mesos.Agent.Configuration;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Agent.Registration;

/// <summary>
/// Keeps the agent attached to a master: tries each master in turn, reads the work the master streams, sends
/// heartbeats, and re-attaches with backoff whenever the stream breaks or the master forgets the agent.
/// </summary>
public sealed class MasterLink
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private const int MaxHeartbeatFailures = 3;

    private readonly AgentOptions _options;
    private readonly IMasterLinkHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private AgentRegistry.AgentRegistryClient? _client;
    private volatile string? _shutdownReason;

    public MasterLink(AgentOptions options, IMasterLinkHandler handler, TimeProvider time, ILogger log)
    {
        _options = options;
        _handler = handler;
        _time = time;
        _log = log;
    }

    /// <summary>The client of the master the agent is registered with right now; null while not registered.</summary>
    public AgentRegistry.AgentRegistryClient? Client => Volatile.Read(ref _client);

    /// <summary>Why the master told this agent to shut down (it was marked gone); null while it has not.</summary>
    public string? ShutdownReason => _shutdownReason;

    public async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        var first = 0;
        while (!stopping.IsCancellationRequested)
        {
            var registered = false;
            for (var i = 0; i < _options.Masters.Count && !stopping.IsCancellationRequested && _shutdownReason is null; i++)
            {
                var index = (first + i) % _options.Masters.Count;
                if (await AttachOnceAsync(_options.Masters[index], stopping).ConfigureAwait(false))
                {
                    // Start with the master that last worked next time: after a restart it is the likely leader.
                    first = index;
                    registered = true;
                    break;
                }
            }

            if (_shutdownReason is not null)
            {
                return;
            }

            failures = registered ? 0 : failures + 1;
            var delay = Backoff(failures);
            _log.LogInformation("Attaching to a master again in {Delay:0.###}s", delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Random in [b·2^(n-1)/2, b·2^(n-1)], capped: spread out so that agents do not stampede a new master.</summary>
    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 16);
        var ceiling = Math.Min(_options.RegistrationBackoffFactor.Ticks * (1L << exponent), _options.RegistrationBackoffMax.Ticks);
        return TimeSpan.FromTicks((long)(ceiling * (0.5 + (Random.Shared.NextDouble() / 2))));
    }

    /// <summary>One attach; returns whether the master registered the agent before the stream ended.</summary>
    private async Task<bool> AttachOnceAsync(string master, CancellationToken stopping)
    {
        using var channel = GrpcChannel.ForAddress("http://" + master, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new SocketsHttpHandler
            {
                ConnectTimeout = ConnectTimeout,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            }),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        var client = new AgentRegistry.AgentRegistryClient(channel);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var request = _handler.CreateAttachRequest();
        var registered = false;
        Task? heartbeats = null;
        try
        {
            _log.LogInformation("Attaching to master {Master} ({How})", master,
                request.AgentId.Length == 0 ? "new agent" : $"as agent {request.AgentId} with {request.RunningTasks.Count} task(s)");
            using var call = client.Attach(request, cancellationToken: session.Token);
            await foreach (var message in call.ResponseStream.ReadAllAsync(session.Token).ConfigureAwait(false))
            {
                if (message.MessageCase == MasterToAgent.MessageOneofCase.Shutdown)
                {
                    // Registered or not: a gone agent never attaches again (Mesos' agent exits on ShutdownMessage).
                    _log.LogError("Master {Master} told this agent to shut down: {Reason}", master, message.Shutdown.Message);
                    _shutdownReason = message.Shutdown.Message;
                    _handler.OnMessage(message);
                    break;
                }

                if (message.MessageCase == MasterToAgent.MessageOneofCase.Error)
                {
                    _log.LogError("Master {Master} reported an error: {Message}", master, message.Error.Message);
                    continue;
                }

                if (!registered)
                {
                    if (message.MessageCase != MasterToAgent.MessageOneofCase.Registered || message.Registered.AgentId.Length == 0)
                    {
                        _log.LogWarning("Ignoring {Message} from master {Master}: the agent is not registered yet", message.MessageCase, master);
                        continue;
                    }

                    registered = true;
                    Volatile.Write(ref _client, client);
                    _handler.OnRegistered(message.Registered, master);
                    var interval = message.Registered.HeartbeatIntervalSeconds > 0
                        ? TimeSpan.FromSeconds(message.Registered.HeartbeatIntervalSeconds)
                        : _options.DefaultHeartbeatInterval;
                    heartbeats = HeartbeatAsync(client, message.Registered.AgentId, interval, session);
                    continue;
                }

                try
                {
                    _handler.OnMessage(message);
                }
                catch (Exception e)
                {
                    _log.LogError(e, "Failed to handle {Message} from master {Master}", message.MessageCase, master);
                }
            }

            _log.LogWarning("Master {Master} closed the agent stream", master);
        }
        catch (RpcException e) when (!stopping.IsCancellationRequested)
        {
            if (session.IsCancellationRequested)
            {
                _log.LogWarning("Re-attaching: master {Master} stopped answering heartbeats or forgot this agent", master);
            }
            else
            {
                _log.LogWarning("{What} master {Master}: {Status} {Detail}",
                    registered ? "Lost the connection to" : "Failed to attach to", master, e.StatusCode, e.Status.Detail);
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            _log.LogWarning("Re-attaching: master {Master} stopped answering heartbeats or forgot this agent", master);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !stopping.IsCancellationRequested)
        {
            _log.LogWarning("{What} master {Master}: {Error}", registered ? "Lost the connection to" : "Failed to attach to", master, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
        catch (RpcException)
        {
        }
        finally
        {
            Interlocked.CompareExchange(ref _client, null, client);
            await session.CancelAsync().ConfigureAwait(false);
            if (heartbeats is not null)
            {
                await heartbeats.ConfigureAwait(false);
            }

            if (registered)
            {
                _handler.OnDisconnected(master);
            }
        }

        return registered;
    }

    private async Task HeartbeatAsync(AgentRegistry.AgentRegistryClient client, string agentId, TimeSpan interval, CancellationTokenSource session)
    {
        var failures = 0;
        var token = session.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, token).ConfigureAwait(false);
                var deadline = DateTime.UtcNow + (interval > TimeSpan.FromSeconds(5) ? interval : TimeSpan.FromSeconds(5));
                var reply = await client.HeartbeatAsync(new HeartbeatRequest { AgentId = agentId }, deadline: deadline, cancellationToken: token).ConfigureAwait(false);
                if (!reply.Known)
                {
                    _log.LogWarning("The master does not know agent {AgentId}; re-attaching", agentId);
                    await session.CancelAsync().ConfigureAwait(false);
                    return;
                }

                failures = 0;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RpcException e) when (!token.IsCancellationRequested)
            {
                failures++;
                _log.LogWarning("Heartbeat to the master failed ({Failures}/{Max}): {Status} {Detail}", failures, MaxHeartbeatFailures, e.StatusCode, e.Status.Detail);
                if (failures >= MaxHeartbeatFailures)
                {
                    await session.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (RpcException)
            {
                return;
            }
        }
    }
}
