using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Client;

/// <summary>
/// Runs one framework's subscription to the master: subscribes with a <see cref="FrameworkInfo"/>, hands out the
/// event stream, and fills the framework id and stream id into every call.
/// <para>
/// When the stream breaks (the master restarted, the network dropped, or no event arrived for
/// <see cref="SchedulerDriverOptions.MissedHeartbeats"/> heartbeat intervals) it re-subscribes with the same
/// framework id, backing off from <see cref="SchedulerDriverOptions.MinBackoff"/> to
/// <see cref="SchedulerDriverOptions.MaxBackoff"/>, and then asks for an implicit reconciliation so that updates
/// missed while away are sent again. The consumer sees one more <c>Subscribed</c> event and nothing else.
/// </para>
/// <para>
/// Acknowledging status updates is the consumer's job: call <see cref="AcknowledgeAsync(TaskStatus, CancellationToken)"/>
/// for each update once it has acted on it.
/// </para>
/// </summary>
public sealed class SchedulerDriver : IAsyncDisposable
{
    private readonly MasterConnection connection;
    private readonly FrameworkInfo framework;
    private readonly SchedulerDriverOptions options;
    private readonly Channel<SchedulerEvent> events =
        Channel.CreateUnbounded<SchedulerEvent>(new UnboundedChannelOptions { SingleWriter = true });

    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private TaskCompletionSource<SchedulerSession> sessionReady = NewSessionSignal();
    private SchedulerSession? session;
    private string? frameworkId;
    private Task? loop;
    private bool stopped;
    private volatile bool tearingDown;

    public SchedulerDriver(MasterConnection connection, FrameworkInfo framework, SchedulerDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(framework);
        this.connection = connection;
        this.framework = framework.Clone();
        this.options = options ?? new SchedulerDriverOptions();
        frameworkId = string.IsNullOrEmpty(framework.Id) ? null : framework.Id;
    }

    /// <summary>The framework id the master assigned (or the one given), once subscribed.</summary>
    public string? FrameworkId
    {
        get
        {
            lock (gate)
            {
                return frameworkId;
            }
        }
    }

    /// <summary>The current subscription's stream id; null while (re)connecting.</summary>
    public string? StreamId => Volatile.Read(ref session)?.Context.StreamId;

    /// <summary>The master holding the current subscription; null while (re)connecting.</summary>
    public MasterEndpoint? Master => Volatile.Read(ref session)?.Master;

    public bool IsSubscribed => Volatile.Read(ref session) is not null;

    /// <summary>
    /// Every event from the master in order, across re-subscriptions (each starts with <c>Subscribed</c>). Completes
    /// after an <c>Error</c> event or when the driver stops; fails with <see cref="MasterUnreachableException"/> or
    /// <see cref="SchedulerDriverException"/>.
    /// </summary>
    public ChannelReader<SchedulerEvent> Events => events.Reader;

    /// <summary>Starts subscribing in the background; read <see cref="Events"/> or <see cref="ReadEventsAsync"/>.</summary>
    public void Start()
    {
        lock (gate)
        {
            if (loop is not null || stopped)
            {
                throw new InvalidOperationException("The scheduler driver was already started");
            }

            loop = Task.Run(RunAsync);
        }
    }

    /// <summary><see cref="Events"/> as an async stream that rethrows the driver's failure as it was raised.</summary>
    public async IAsyncEnumerable<SchedulerEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }

            if (!more)
            {
                yield break;
            }

            while (events.Reader.TryRead(out var next))
            {
                yield return next;
            }
        }
    }

    /// <summary>Launches tasks on the given offers (all from one agent); unused resources are declined with <paramref name="filters"/>.</summary>
    public Task AcceptAsync(IEnumerable<string> offerIds, IEnumerable<TaskInfo> launch, Filters? filters = null, CancellationToken cancellationToken = default)
    {
        var request = new AcceptRequest { OfferIds = { offerIds }, Launch = { launch }, Filters = filters };
        return CallAsync((client, context, call) => client.AcceptAsync(With(request, r => r.Context = context), call), cancellationToken);
    }

    public Task DeclineAsync(IEnumerable<string> offerIds, Filters? filters = null, CancellationToken cancellationToken = default)
    {
        var request = new DeclineRequest { OfferIds = { offerIds }, Filters = filters };
        return CallAsync((client, context, call) => client.DeclineAsync(With(request, r => r.Context = context), call), cancellationToken);
    }

    /// <summary>Clears offer filters and resumes offers for <paramref name="roles"/> (none: all the framework's roles).</summary>
    public Task ReviveAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default)
    {
        var request = new ReviveRequest { Roles = { roles ?? [] } };
        return CallAsync((client, context, call) => client.ReviveAsync(With(request, r => r.Context = context), call), cancellationToken);
    }

    /// <summary>Stops offers for <paramref name="roles"/> (none: all the framework's roles); status updates still arrive.</summary>
    public Task SuppressAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default)
    {
        var request = new SuppressRequest { Roles = { roles ?? [] } };
        return CallAsync((client, context, call) => client.SuppressAsync(With(request, r => r.Context = context), call), cancellationToken);
    }

    public Task KillAsync(string taskId, string? agentId = null, KillPolicy? killPolicy = null, CancellationToken cancellationToken = default)
    {
        var request = new KillRequest { TaskId = taskId, AgentId = agentId ?? string.Empty, KillPolicy = killPolicy };
        return CallAsync((client, context, call) => client.KillAsync(With(request, r => r.Context = context), call), cancellationToken);
    }

    /// <summary>
    /// Acknowledges a status update so that the agent stops resending it. Updates without a uuid (generated by the
    /// master, for example reconciliation answers) must not be acknowledged: for those this does nothing.
    /// </summary>
    public Task AcknowledgeAsync(TaskStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Uuid.IsEmpty
            ? Task.CompletedTask
            : AcknowledgeAsync(status.AgentId, status.TaskId, status.Uuid, cancellationToken);
    }

    public Task AcknowledgeAsync(string agentId, string taskId, ByteString uuid, CancellationToken cancellationToken = default)
    {
        var request = new AcknowledgeRequest { AgentId = agentId, TaskId = taskId, Uuid = uuid };
        return CallAsync((client, context, call) => client.AcknowledgeAsync(With(request, r => r.Context = context), call), cancellationToken);
    }

    /// <summary>Asks for the latest state of the given tasks, or of all the framework's tasks when none are given (implicit).</summary>
    public Task ReconcileAsync(IEnumerable<ReconcileRequest.Types.Task>? tasks = null, CancellationToken cancellationToken = default)
    {
        var request = new ReconcileRequest { Tasks = { tasks ?? [] } };
        return CallAsync((client, context, call) => client.ReconcileAsync(With(request, r => r.Context = context), call), cancellationToken);
    }

    /// <summary>Removes the framework (its tasks are killed) and stops the driver; the event stream then completes.</summary>
    public async Task TeardownAsync(CancellationToken cancellationToken = default)
    {
        // Set first: the master closes the stream right after the call, and that must not look like a lost master.
        tearingDown = true;
        try
        {
            await CallAsync((client, context, call) => client.TeardownAsync(new TeardownRequest { Context = context }, call), cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            tearingDown = false;
            throw;
        }

        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the subscription without removing the framework: the master keeps its tasks for the framework's
    /// failover_timeout, so another driver with the same framework id can take over.
    /// </summary>
    public async Task StopAsync()
    {
        Task? running;
        lock (gate)
        {
            stopped = true;
            running = loop;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        if (running is not null)
        {
            await running.ConfigureAwait(false);
        }

        events.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private static T With<T>(T request, Action<T> fill)
        where T : IMessage<T>
    {
        var copy = request.Clone();
        fill(copy);
        return copy;
    }

    private static TaskCompletionSource<SchedulerSession> NewSessionSignal() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task CallAsync(
        Func<Scheduler.SchedulerClient, CallContext, CallOptions, AsyncUnaryCall<CallReply>> call,
        CancellationToken cancellationToken)
    {
        var current = await WaitForSessionAsync(cancellationToken).ConfigureAwait(false);
        var callOptions = new CallOptions(deadline: DateTime.UtcNow + options.CallTimeout, cancellationToken: cancellationToken);
        await call(current.Client, current.Context.Clone(), callOptions).ResponseAsync.ConfigureAwait(false);
    }

    // Calls made while re-subscribing wait for the new stream id rather than fail with the old one.
    private async Task<SchedulerSession> WaitForSessionAsync(CancellationToken cancellationToken)
    {
        Task<SchedulerSession> ready;
        lock (gate)
        {
            if (loop is null)
            {
                throw new InvalidOperationException("Start the scheduler driver before making calls");
            }

            if (session is not null)
            {
                return session;
            }

            ready = sessionReady.Task;
        }

        return await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var time = options.TimeProvider;
        var backoff = options.MinBackoff;
        DateTimeOffset? giveUpAt = options.InitialConnectTimeout is { } bound ? time.GetUtcNow() + bound : null;
        var everSubscribed = false;
        string? lastFailure = null;
        var index = IndexOf(connection.Preferred);
        Exception? failure = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var endpoint = connection.Endpoints[index];
                var outcome = await SubscribeOnceAsync(endpoint, everSubscribed ? null : giveUpAt).ConfigureAwait(false);
                if (outcome.Subscribed)
                {
                    everSubscribed = true;
                    backoff = options.MinBackoff;
                }

                if (outcome.Final || stopping.IsCancellationRequested)
                {
                    break;
                }

                // The attempt cut short by the connect deadline says less than the failure before it ("Connection refused").
                var reason = outcome.TimedOut && !outcome.Subscribed && lastFailure is not null ? lastFailure : outcome.Reason;
                lastFailure = reason;
                var wait = backoff;
                if (!everSubscribed && giveUpAt is { } deadline)
                {
                    var left = deadline - time.GetUtcNow();
                    if (left <= TimeSpan.Zero)
                    {
                        throw new MasterUnreachableException(connection.Address, reason);
                    }

                    wait = wait < left ? wait : left;
                }

                index = (index + 1) % connection.Endpoints.Count;
                options.Diagnostics?.Invoke(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Connection to master at {endpoint} ended ({reason}); subscribing to {connection.Endpoints[index]} in {wait.TotalSeconds:0.###}s"));
                await Task.Delay(wait, time, stopping.Token).ConfigureAwait(false);
                backoff = backoff * 2 < options.MaxBackoff ? backoff * 2 : options.MaxBackoff;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            lock (gate)
            {
                stopped = true;
                session = null;
                sessionReady.TrySetException(failure ?? new InvalidOperationException("The scheduler driver has stopped"));
            }

            // Nobody may be waiting: observe the exception so it is not reported as unobserved.
            _ = sessionReady.Task.Exception;
            events.Writer.TryComplete(failure);
        }
    }

    private async Task<SubscriptionOutcome> SubscribeOnceAsync(MasterEndpoint endpoint, DateTimeOffset? giveUpAt)
    {
        var time = options.TimeProvider;
        var client = new Scheduler.SchedulerClient(connection.GetChannel(endpoint));
        var request = new SubscribeRequest { FrameworkInfo = framework.Clone() };
        string? knownId;
        lock (gate)
        {
            knownId = frameworkId;
        }

        if (knownId is not null)
        {
            request.FrameworkInfo.Id = knownId;
        }

        using var streamCancel = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var silence = options.DefaultHeartbeatInterval * options.MissedHeartbeats;
        var firstWait = silence;
        if (giveUpAt is { } deadline)
        {
            var left = deadline - time.GetUtcNow();
            firstWait = left < firstWait ? left : firstWait;
            firstWait = firstWait > TimeSpan.FromMilliseconds(1) ? firstWait : TimeSpan.FromMilliseconds(1);
        }

        var watchdogFired = 0;
        using var watchdog = time.CreateTimer(
            _ =>
            {
                Interlocked.Exchange(ref watchdogFired, 1);
                try
                {
                    streamCancel.Cancel();
                }
                catch (ObjectDisposedException)
                {
                }
            },
            null,
            firstWait,
            Timeout.InfiniteTimeSpan);

        var subscribed = false;
        string Silent() => subscribed
            ? string.Create(CultureInfo.InvariantCulture, $"no event from the master for {silence.TotalSeconds:0.###}s")
            : "the master did not answer the subscription";

        try
        {
            using var call = client.Subscribe(request, cancellationToken: streamCancel.Token);
            while (await call.ResponseStream.MoveNext(streamCancel.Token).ConfigureAwait(false))
            {
                var next = call.ResponseStream.Current;
                watchdog.Change(silence, Timeout.InfiniteTimeSpan);
                switch (next.EventCase)
                {
                    case SchedulerEvent.EventOneofCase.Subscribed:
                        var info = next.Subscribed;
                        if (info.HeartbeatIntervalSeconds > 0)
                        {
                            silence = TimeSpan.FromSeconds(info.HeartbeatIntervalSeconds) * options.MissedHeartbeats;
                            watchdog.Change(silence, Timeout.InfiniteTimeSpan);
                        }

                        var current = new SchedulerSession(endpoint, client, new CallContext { FrameworkId = info.FrameworkId, StreamId = info.StreamId });
                        lock (gate)
                        {
                            frameworkId = info.FrameworkId;
                            session = current;
                            sessionReady.TrySetResult(current);
                        }

                        connection.Prefer(endpoint);
                        subscribed = true;
                        events.Writer.TryWrite(next);
                        if (knownId is not null)
                        {
                            options.Diagnostics?.Invoke($"Subscribed to master at {endpoint} as framework {info.FrameworkId}");
                            if (options.ReconcileOnResubscribe)
                            {
                                _ = ReconcileQuietlyAsync(current);
                            }
                        }

                        break;

                    case SchedulerEvent.EventOneofCase.Error:
                        // Mesos: the framework should stop (refused, removed, or replaced by a newer subscriber).
                        events.Writer.TryWrite(next);
                        return new SubscriptionOutcome(subscribed, Final: true, next.Error.Message);

                    default:
                        events.Writer.TryWrite(next);
                        break;
                }
            }

            return new SubscriptionOutcome(subscribed, Final: tearingDown, "the master closed the event stream");
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException && (stopping.IsCancellationRequested || tearingDown))
        {
            return new SubscriptionOutcome(subscribed, Final: true, "stopped");
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException && Volatile.Read(ref watchdogFired) == 1)
        {
            return new SubscriptionOutcome(subscribed, Final: false, Silent(), TimedOut: true);
        }
        catch (RpcException e) when (!RpcErrors.IsTransient(e.StatusCode))
        {
            throw new SchedulerDriverException($"The master at {endpoint} refused the subscription: {RpcErrors.Describe(e)}", e);
        }
        catch (RpcException e)
        {
            return new SubscriptionOutcome(subscribed, Final: false, RpcErrors.Describe(e));
        }
        finally
        {
            lock (gate)
            {
                if (session?.Master == endpoint)
                {
                    session = null;
                }

                if (sessionReady.Task.IsCompleted)
                {
                    sessionReady = NewSessionSignal();
                }
            }
        }
    }

    private async Task ReconcileQuietlyAsync(SchedulerSession current)
    {
        try
        {
            var call = new CallOptions(deadline: DateTime.UtcNow + options.CallTimeout, cancellationToken: stopping.Token);
            await current.Client.ReconcileAsync(new ReconcileRequest { Context = current.Context.Clone() }, call).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            // Not fatal: the next re-subscription or the consumer's own reconciliation covers it.
            options.Diagnostics?.Invoke($"Implicit reconciliation after re-subscribing failed: {RpcErrors.Describe(e)}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private int IndexOf(MasterEndpoint endpoint)
    {
        for (var i = 0; i < connection.Endpoints.Count; i++)
        {
            if (connection.Endpoints[i] == endpoint)
            {
                return i;
            }
        }

        return 0;
    }
}
