using Mediator;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.Tasks;
using Mesos.Hosting.Http;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Application;
using Mesos.Master.Configuration;
using Mesos.Master.Notify;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;
using V1 = Mesos.Protocol.V1;
using Wire = Mesos.Protocol.Wire.Scheduler;

namespace Mesos.Master.Api.Http;

/// <summary>
/// Mesos 1.11's v1 scheduler API, <c>POST /api/v1/scheduler</c>, in JSON or protobuf (<see cref="WireEncoding"/>). It translates calls into the same
/// core commands the gRPC edge sends through Mediator, and streams the same per-framework outbox, rendered as
/// Mesos JSON in RecordIO records. Status codes and messages are Mesos' (src/master/http.cpp).
/// </summary>
public static class SchedulerHttpEndpoints
{
    public const string Path = "/api/v1/scheduler";
    public const string StreamIdHeader = "Mesos-Stream-Id";

    public static void Map(IEndpointRouteBuilder app) => app.Map(Path, HandleAsync);

    private static async Task HandleAsync(HttpContext http)
    {
        try
        {
            var call = await ReadCallAsync(http).ConfigureAwait(false);
            if (call.Type == "UNKNOWN")
            {
                throw new HttpCallError(StatusCodes.Status501NotImplemented, "Received an unexpected 'UNKNOWN' call");
            }

            if (call.Type == "SUBSCRIBE")
            {
                await SubscribeAsync(http, call).ConfigureAwait(false);
                return;
            }

            var connection = await CheckStreamAsync(http, call.FrameworkId!).ConfigureAwait(false);
            http.Response.StatusCode = await DispatchAsync(http, call, connection).ConfigureAwait(false);
        }
        catch (HttpCallError error) when (!http.Response.HasStarted)
        {
            await WriteErrorAsync(http, error.StatusCode, error.Message).ConfigureAwait(false);
        }
        catch (UnsupportedOperationException ex) when (!http.Response.HasStarted)
        {
            await WriteErrorAsync(http, StatusCodes.Status501NotImplemented, ex.Message).ConfigureAwait(false);
        }
    }

    private static async Task<SchedulerCall> ReadCallAsync(HttpContext http)
    {
        var request = http.Request;
        if (ApiMediaTypes.CheckRequest(request, out var requestType) is { } refused)
        {
            throw new HttpCallError(refused.StatusCode, refused.Message);
        }

        var (body, _) = await ApiMediaTypes.ReadBodyAsync(request, maxBytes: null, http.RequestAborted).ConfigureAwait(false);
        return SchedulerCallJson.Parse(requestType == ApiMediaTypes.Protobuf ? WireEncoding.ProtobufToJson(Wire.Call.Parser, body) : body);
    }

    /// <summary>Mesos' order of checks for calls after SUBSCRIBE: known framework, subscribed, then the stream id.</summary>
    private static async Task<FrameworkConnection> CheckStreamAsync(HttpContext http, string frameworkId)
    {
        var services = http.RequestServices;
        var snapshot = await services.GetRequiredService<IMediator>().Send(new GetSnapshot(), http.RequestAborted).ConfigureAwait(false);
        var id = new FrameworkId(frameworkId);
        if (!snapshot.State.Frameworks.ContainsKey(id))
        {
            throw HttpCallError.BadRequest("Framework cannot be found");
        }

        var connection = services.GetRequiredService<ConnectionRegistry>().Framework(id)
            ?? throw new HttpCallError(StatusCodes.Status403Forbidden, "Framework is not subscribed");

        if (!http.Request.Headers.TryGetValue(StreamIdHeader, out var streamId) || streamId.Count == 0)
        {
            throw HttpCallError.BadRequest($"All non-subscribe calls should include the '{StreamIdHeader}' header");
        }

        if (streamId.ToString() != connection.StreamId)
        {
            throw HttpCallError.BadRequest(
                $"The stream ID '{streamId}' included in this request didn't match the stream ID currently associated with framework ID {frameworkId}");
        }

        return connection;
    }

    private static async Task SubscribeAsync(HttpContext http, SchedulerCall call)
    {
        var responseType = ApiMediaTypes.ResponseType(http.Request)
            ?? throw new HttpCallError(StatusCodes.Status406NotAcceptable, ApiMediaTypes.NotAcceptableMessage);

        if (http.Request.Headers.ContainsKey(StreamIdHeader))
        {
            throw HttpCallError.BadRequest($"Subscribe calls should not include the '{StreamIdHeader}' header");
        }

        var services = http.RequestServices;
        var mediator = services.GetRequiredService<IMediator>();
        var connections = services.GetRequiredService<ConnectionRegistry>();
        var wire = (V1.SubscribeRequest)call.Payload!;
        var info = Validated(() => ProtoMapping.ToCore(wire.FrameworkInfo));
        FrameworkId? requestedId = string.IsNullOrEmpty(wire.FrameworkInfo.Id) ? null : new FrameworkId(wire.FrameworkInfo.Id);
        var streamId = Guid.NewGuid().ToString();
        FrameworkConnection? connection = null;
        var principal = string.IsNullOrEmpty(info.Principal) ? "framework:" + info.Name : info.Principal;
        var result = await mediator.Send(new Submit(new SubscribeFramework(info, requestedId) { Principal = principal }, committed =>
        {
            var subscribed = committed.Events.OfType<FrameworkSubscribed>().Single();
            connection = new FrameworkConnection(subscribed.FrameworkId, streamId);
            connections.Replace(connection);
        }), http.RequestAborted).ConfigureAwait(false);

        if (result.Error is { Kind: DecideErrorKind.InvalidArgument } invalid)
        {
            throw HttpCallError.BadRequest("Failed to validate scheduler::Call: " + invalid.Message);
        }

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = responseType;
        var ct = http.RequestAborted;
        byte[] Encode(V1.SchedulerEvent e) => WireEncoding.Encode(responseType, Wire.Event.Descriptor, SchedulerEventJson.Render(e));
        if (result.Error is { } refused)
        {
            // Mesos refuses a subscription it cannot serve (a removed framework, say) in-stream: ERROR, then close.
            await RecordIo.WriteAsync(response.Body, Encode(new V1.SchedulerEvent
            {
                Error = new V1.SchedulerEvent.Types.Error { Message = refused.Message },
            }), ct).ConfigureAwait(false);
            return;
        }

        var current = connection!;
        response.Headers[StreamIdHeader] = streamId;
        var options = services.GetRequiredService<MasterOptions>();
        var snapshot = await mediator.Send(new GetSnapshot(result.Position), ct).ConfigureAwait(false);
        await RecordIo.WriteAsync(response.Body, Encode(new V1.SchedulerEvent
        {
            Subscribed = new V1.SchedulerEvent.Types.Subscribed
            {
                FrameworkId = current.FrameworkId.Value,
                StreamId = streamId,
                HeartbeatIntervalSeconds = options.FrameworkHeartbeatInterval.TotalSeconds,
                MasterInfo = ProtoMapping.ToWire(snapshot.State.Master),
            },
        }), ct).ConfigureAwait(false);

        // As on the gRPC edge: updates the framework has not acknowledged are durable, so it gets them again now.
        var router = services.GetRequiredService<OutboundRouter>();
        foreach (var task in snapshot.State.TasksOf(current.FrameworkId).Where(t => t.PendingUuid is not null))
        {
            if (task.Statuses.LastOrDefault(s => s.Uuid == task.PendingUuid) is { } pending)
            {
                router.ForwardStatus(snapshot.State, task.Key.FrameworkId, task.Key.TaskId, task.AgentId, pending);
            }
        }

        await PumpAsync(http, current, Encode).ConfigureAwait(false);
    }

    /// <summary>Drains the framework's outbox into the response, one flushed RecordIO record per event, with heartbeats when idle.</summary>
    private static async Task PumpAsync(HttpContext http, FrameworkConnection connection, Func<V1.SchedulerEvent, byte[]> encode)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<MasterOptions>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var body = http.Response.Body;
        var aborted = http.RequestAborted;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, connection.Closed, lifetime.ApplicationStopping);
        try
        {
            while (true)
            {
                while (connection.Outbox.TryRead(out var @event))
                {
                    await RecordIo.WriteAsync(body, encode(@event), aborted).ConfigureAwait(false);
                }

                if (connection.Outbox.Completion.IsCompleted || stop.IsCancellationRequested)
                {
                    break;
                }

                var wait = connection.Outbox.WaitToReadAsync(stop.Token).AsTask();
                var tick = Task.Delay(options.FrameworkHeartbeatInterval, stop.Token);
                if (await Task.WhenAny(wait, tick).ConfigureAwait(false) == tick && !tick.IsCanceled)
                {
                    await RecordIo.WriteAsync(body, encode(new V1.SchedulerEvent { Heartbeat = new V1.SchedulerEvent.Types.Heartbeat() }), aborted).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            if (services.GetRequiredService<ConnectionRegistry>().Detach(connection) && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                try
                {
                    await services.GetRequiredService<IMediator>().Send(new Submit(new DisconnectFramework(connection.FrameworkId) { Principal = "master" })).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // The master is stopping; its successor marks everyone disconnected when it is elected.
                }
            }
        }
    }

    /// <summary>Acts on one call after SUBSCRIBE; returns the status to answer (202, or 200 for UPDATE_FRAMEWORK).</summary>
    private static async Task<int> DispatchAsync(HttpContext http, SchedulerCall call, FrameworkConnection connection)
    {
        var services = http.RequestServices;
        var mediator = services.GetRequiredService<IMediator>();
        var clock = services.GetRequiredService<TimeProvider>();
        var framework = connection.FrameworkId;
        var principal = "framework:" + framework;
        var ct = http.RequestAborted;

        MasterCommand? command;
        switch (call.Payload)
        {
            case V1.AcceptRequest accept:
                var offered = await mediator.Send(new GetSnapshot(), ct).ConfigureAwait(false);
                accept = OperationFeedback.RefuseUnsupported(offered.State, connection, accept, clock.GetUtcNow());
                await AcceptAsync(mediator, connection, accept, principal, clock, ct).ConfigureAwait(false);
                return StatusCodes.Status202Accepted;
            case V1.UpdateFrameworkRequest update:
                return await UpdateFrameworkAsync(mediator, framework, update, principal, ct).ConfigureAwait(false);
            case V1.MessageRequest message:
                var state = (await mediator.Send(new GetSnapshot(), ct).ConfigureAwait(false)).State;
                if (FrameworkMessages.ToExecutor(state, services.GetRequiredService<ConnectionRegistry>(), framework, new AgentId(message.AgentId), new ExecutorId(message.ExecutorId), message.Data) is { } dropped)
                {
                    Log(services).LogWarning("{Reason}", dropped);
                }

                return StatusCodes.Status202Accepted;
            case V1.ShutdownRequest shutdown:
                command = new ShutdownExecutor(framework, new AgentId(shutdown.AgentId), new ExecutorId(shutdown.ExecutorId)) { Principal = principal };
                break;
            case V1.AcknowledgeOperationStatusRequest operationAck:
                // Every operation status this master sends is its own and carries no uuid (see OperationFeedback), so
                // no acknowledgement can match one: Mesos drops an acknowledgement of an unknown operation and logs it.
                Log(services).LogWarning("Ignoring operation status acknowledgement {Uuid} for unknown operation '{Operation}' of framework {Framework}",
                    Convert.ToHexString(operationAck.Uuid.Span), operationAck.OperationId, framework);
                return StatusCodes.Status202Accepted;
            case V1.ReconcileOperationsRequest reconcileOperations:
                var current = (await mediator.Send(new GetSnapshot(), ct).ConfigureAwait(false)).State;
                OperationFeedback.Reconcile(current, connection, reconcileOperations.Operations.Select(o => (o.OperationId, o.AgentId, o.ResourceProviderId)).ToList());
                return StatusCodes.Status202Accepted;
            case V1.DeclineRequest decline:
                command = new DeclineOffers(framework, ValueArray.From(decline.OfferIds.Select(id => new OfferId(id))), RefuseSeconds(decline.Filters)) { Principal = principal };
                break;
            case V1.ReviveRequest revive:
                command = new ReviveOffers(framework, ValueArray.From(revive.Roles)) { Principal = principal };
                break;
            case V1.SuppressRequest suppress:
                command = new SuppressOffers(framework, ValueArray.From(suppress.Roles)) { Principal = principal };
                break;
            case V1.KillRequest kill:
                TimeSpan? grace = kill.KillPolicy is { HasGracePeriodNanoseconds: true } p ? TimeSpan.FromTicks(Math.Max(0, p.GracePeriodNanoseconds) / 100) : null;
                command = new KillTask(framework, new TaskId(kill.TaskId), grace) { Principal = principal };
                break;
            case V1.AcknowledgeRequest ack:
                command = new AcknowledgeStatus(framework, new AgentId(ack.AgentId), new TaskId(ack.TaskId), ProtoMapping.ToUuid(ack.Uuid, "uuid")) { Principal = principal };
                break;
            case V1.TeardownRequest:
                command = new TeardownFramework(framework) { Principal = principal };
                break;
            case V1.ReconcileRequest reconcile:
                var snapshot = await mediator.Send(new GetSnapshot(), ct).ConfigureAwait(false);
                var asked = reconcile.Tasks.Select(t => (new TaskId(t.TaskId), new AgentId(t.AgentId))).ToList();
                TaskReconciliation.Answer(snapshot.State, connection, asked, clock.GetUtcNow());
                return StatusCodes.Status202Accepted;
            case V1.InverseOffersRequest inverse:
                // Advisory; Mesos answers 202 and logs an answer naming inverse offers that are no longer valid.
                command = InverseOfferCalls.ToCommand(framework, inverse, call.Type == "ACCEPT_INVERSE_OFFERS" ? InverseOfferAnswer.Accept : InverseOfferAnswer.Decline);
                break;
            default:
                // REQUEST is ignored by Mesos' built-in allocator.
                if (call.Type is "REQUEST")
                {
                    return StatusCodes.Status202Accepted;
                }

                throw new HttpCallError(StatusCodes.Status501NotImplemented, $"'{call.Type}' calls are not supported by this master yet");
        }

        // Mesos answers 202 before acting: a call the master then rejects is logged, not reported to the caller.
        var result = await mediator.Send(new Submit(command), ct).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            Log(services).LogInformation("Scheduler call {Type} from framework {Framework} refused: {Error}", call.Type, framework, error.Message);
        }

        return StatusCodes.Status202Accepted;
    }

    /// <summary>
    /// UPDATE_FRAMEWORK is synchronous in Mesos: 200 once the update is applied, 400 with the reason when it is not
    /// valid (nothing changes then), 403 when the framework is not subscribed.
    /// </summary>
    private static async Task<int> UpdateFrameworkAsync(IMediator mediator, FrameworkId framework, V1.UpdateFrameworkRequest update, string principal, CancellationToken ct)
    {
        var info = Validated(() => ProtoMapping.ToCore(update.FrameworkInfo));
        var result = await mediator.Send(new Submit(new UpdateFramework(framework, info, ValueArray.From(update.SuppressedRoles)) { Principal = principal }), ct).ConfigureAwait(false);
        return result.Error switch
        {
            null => StatusCodes.Status200OK,
            { Kind: DecideErrorKind.PermissionDenied } denied => throw new HttpCallError(StatusCodes.Status403Forbidden, denied.Message),
            var invalid => throw HttpCallError.BadRequest(invalid.Message),
        };
    }

    /// <summary>
    /// ACCEPT is asynchronous in Mesos: invalid tasks or offers still answer 202, and each task comes back as an
    /// UPDATE from the master (TASK_ERROR for an invalid task, TASK_DROPPED or TASK_LOST for invalid offers).
    /// The offers of a refused ACCEPT are declined so their resources return to the allocator, as Mesos recovers them.
    /// </summary>
    private static async Task AcceptAsync(IMediator mediator, FrameworkConnection connection, V1.AcceptRequest accept, string principal, TimeProvider clock, CancellationToken ct)
    {
        var framework = connection.FrameworkId;
        var offerIds = ValueArray.From(accept.OfferIds.Select(id => new OfferId(id)));
        var refuse = RefuseSeconds(accept.Filters);
        (TaskState State, TaskReason Reason, string Message)? failure = null;
        try
        {
            var tasks = ValueArray.From(accept.Launch.Select(ProtoMapping.ToCore));
            var executors = ExecutorMapping.ExecutorsOf(accept.Launch, framework);
            var reservations = ValueArray.From(accept.Reservations.Select(ProtoMapping.ToCore));
            var details = ProtoMapping.ToCoreDetails(accept.Launch);
            var groups = ValueArray.From(accept.LaunchGroups.Select(g => ExecutorMapping.GroupOf(g, framework)));
            var result = await mediator.Send(new Submit(new AcceptOffers(framework, offerIds, tasks, refuse, details)
            {
                Principal = principal,
                Executors = executors,
                Reservations = reservations,
                Groups = groups,
            }), ct).ConfigureAwait(false);
            if (result.Error is { } error)
            {
                failure = error.Kind == DecideErrorKind.NotFound
                    ? (TaskState.Dropped, TaskReason.InvalidOffers, "Task launched with invalid offers: " + error.Message)
                    : (TaskState.Error, TaskReason.TaskInvalid, error.Message);
            }
        }
        catch (Exception ex) when (ex is WireFormatException or ArgumentException or OverflowException)
        {
            failure = (TaskState.Error, TaskReason.TaskInvalid, ex.Message);
        }

        if (failure is not { } f)
        {
            return;
        }

        var snapshot = await mediator.Send(new GetSnapshot(), ct).ConfigureAwait(false);
        var partitionAware = snapshot.State.Frameworks.TryGetValue(framework, out var state) && state.Info.Has(FrameworkCapability.PartitionAware);
        // As Mesos: the tasks of an invalid group are TASK_ERROR with REASON_TASK_GROUP_INVALID, each of them.
        var grouped = accept.LaunchGroups.SelectMany(g => g.Tasks).Select(t => (Task: t, InGroup: true));
        foreach (var (task, inGroup) in accept.Launch.Select(t => (Task: t, InGroup: false)).Concat(grouped))
        {
            var reason = inGroup && f.Reason == TaskReason.TaskInvalid ? TaskReason.TaskGroupInvalid : f.Reason;
            var status = new TaskStatus(f.State, reason, f.Message, StatusSource.Master, null, clock.GetUtcNow());
            connection.Send(new V1.SchedulerEvent
            {
                Update = new V1.SchedulerEvent.Types.Update
                {
                    Status = ProtoMapping.ToWire(new TaskKey(framework, new TaskId(task.TaskId)), new AgentId(task.AgentId), null, status, partitionAware),
                },
            });
        }

        if (offerIds.Count > 0 && offerIds.Any(snapshot.State.Offers.ContainsKey))
        {
            await mediator.Send(new Submit(new DeclineOffers(framework, ValueArray.From(offerIds.Where(snapshot.State.Offers.ContainsKey)), refuse) { Principal = principal }), ct).ConfigureAwait(false);
        }
    }

    private static T Validated<T>(Func<T> map)
    {
        try
        {
            return map();
        }
        catch (Exception ex) when (ex is WireFormatException or ArgumentException or OverflowException)
        {
            throw HttpCallError.BadRequest("Failed to validate scheduler::Call: " + ex.Message);
        }
    }

    private static double? RefuseSeconds(V1.Filters? filters) =>
        filters is { HasRefuseSeconds: true } f ? f.RefuseSeconds : null;

    private static async Task WriteErrorAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message, http.RequestAborted).ConfigureAwait(false);
    }

    private static ILogger Log(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SchedulerHttpEndpoints).FullName!);
}
