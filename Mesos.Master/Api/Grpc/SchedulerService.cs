using Grpc.Core;
using Mediator;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Master.Application;
using Mesos.Master.Configuration;
using Mesos.Master.Notify;
using Microsoft.Extensions.Hosting;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>The scheduler API over gRPC: maps wire calls to core commands and back, nothing more.</summary>
public sealed class SchedulerService(
    IMediator mediator,
    ConnectionRegistry connections,
    OutboundRouter router,
    MasterOptions options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock) : V1.Scheduler.SchedulerBase
{
    public override async Task Subscribe(V1.SubscribeRequest request, IServerStreamWriter<V1.SchedulerEvent> responseStream, ServerCallContext context)
    {
        var info = Map(() => ProtoMapping.ToCore(request.FrameworkInfo));
        FrameworkId? requestedId = string.IsNullOrEmpty(request.FrameworkInfo.Id) ? null : new FrameworkId(request.FrameworkInfo.Id);
        var streamId = Guid.NewGuid().ToString("N");
        FrameworkConnection? connection = null;
        var command = new SubscribeFramework(info, requestedId) { Principal = PrincipalOf(info) };
        var result = await mediator.Send(new Submit(command, committed =>
        {
            var subscribed = committed.Events.OfType<FrameworkSubscribed>().Single();
            connection = new FrameworkConnection(subscribed.FrameworkId, streamId);
            connections.Replace(connection);
        }), context.CancellationToken).ConfigureAwait(false);

        if (result.Error is { } error)
        {
            throw GrpcErrors.ToRpc(error);
        }

        var current = connection!;
        var snapshot = await mediator.Send(new GetSnapshot(result.Position), context.CancellationToken).ConfigureAwait(false);
        await responseStream.WriteAsync(new V1.SchedulerEvent
        {
            Subscribed = new V1.SchedulerEvent.Types.Subscribed
            {
                FrameworkId = current.FrameworkId.Value,
                StreamId = streamId,
                HeartbeatIntervalSeconds = options.FrameworkHeartbeatInterval.TotalSeconds,
                MasterInfo = ProtoMapping.ToWire(snapshot.State.Master),
            },
        }, context.CancellationToken).ConfigureAwait(false);

        // Updates the framework has not acknowledged are durable here, so a framework that comes back (after its
        // own restart or the master's) gets them now rather than at the agent's next retry.
        foreach (var task in snapshot.State.TasksOf(current.FrameworkId).Where(t => t.PendingUuid is not null))
        {
            var pending = task.Statuses.LastOrDefault(s => s.Uuid == task.PendingUuid);
            if (pending is not null)
            {
                router.ForwardStatus(snapshot.State, task.Key.FrameworkId, task.Key.TaskId, task.AgentId, pending);
            }
        }

        await PumpAsync(current, responseStream, context.CancellationToken).ConfigureAwait(false);
    }

    private async Task PumpAsync(FrameworkConnection connection, IServerStreamWriter<V1.SchedulerEvent> stream, CancellationToken callCancelled)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, connection.Closed, lifetime.ApplicationStopping);
        try
        {
            while (true)
            {
                while (connection.Outbox.TryRead(out var @event))
                {
                    await stream.WriteAsync(@event, callCancelled).ConfigureAwait(false);
                }

                if (connection.Outbox.Completion.IsCompleted || stop.IsCancellationRequested)
                {
                    break;
                }

                var wait = connection.Outbox.WaitToReadAsync(stop.Token).AsTask();
                var tick = Task.Delay(options.FrameworkHeartbeatInterval, stop.Token);
                if (await Task.WhenAny(wait, tick).ConfigureAwait(false) == tick && !tick.IsCanceled)
                {
                    await stream.WriteAsync(new V1.SchedulerEvent { Heartbeat = new V1.SchedulerEvent.Types.Heartbeat() }, callCancelled).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        catch (InvalidOperationException) when (callCancelled.IsCancellationRequested)
        {
        }
        finally
        {
            if (connections.Detach(connection) && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                await SubmitQuietly(new DisconnectFramework(connection.FrameworkId) { Principal = "master" }).ConfigureAwait(false);
            }
        }
    }

    public override async Task<V1.CallReply> Accept(V1.AcceptRequest request, ServerCallContext context)
    {
        var connection = CheckStream(request.Context);
        var snapshot = await mediator.Send(new GetSnapshot(), context.CancellationToken).ConfigureAwait(false);
        var accept = OperationFeedback.RefuseUnsupported(snapshot.State, connection, request, clock.GetUtcNow());
        return await Call(request.Context, (framework, principal) => new AcceptOffers(
            framework,
            ValueArray.From(accept.OfferIds.Select(id => new OfferId(id))),
            ValueArray.From(accept.Launch.Select(ProtoMapping.ToCore)),
            RefuseSeconds(accept.Filters),
            ProtoMapping.ToCoreDetails(accept.Launch))
        {
            Principal = principal,
            Executors = ExecutorMapping.ExecutorsOf(accept.Launch, framework),
            Reservations = ValueArray.From(accept.Reservations.Select(ProtoMapping.ToCore)),
            Groups = ValueArray.From(accept.LaunchGroups.Select(g => ExecutorMapping.GroupOf(g, framework))),
        }, context).ConfigureAwait(false);
    }

    public override Task<V1.CallReply> Decline(V1.DeclineRequest request, ServerCallContext context) =>
        Call(request.Context, (framework, principal) => new DeclineOffers(
            framework, ValueArray.From(request.OfferIds.Select(id => new OfferId(id))), RefuseSeconds(request.Filters)) { Principal = principal }, context);

    public override Task<V1.CallReply> Revive(V1.ReviveRequest request, ServerCallContext context) =>
        Call(request.Context, (framework, principal) => new ReviveOffers(framework, ValueArray.From(request.Roles)) { Principal = principal }, context);

    public override Task<V1.CallReply> Suppress(V1.SuppressRequest request, ServerCallContext context) =>
        Call(request.Context, (framework, principal) => new SuppressOffers(framework, ValueArray.From(request.Roles)) { Principal = principal }, context);

    public override Task<V1.CallReply> Kill(V1.KillRequest request, ServerCallContext context) =>
        Call(request.Context, (framework, principal) =>
        {
            if (string.IsNullOrEmpty(request.TaskId))
            {
                throw new WireFormatException("KILL needs task_id");
            }

            TimeSpan? grace = request.KillPolicy is { HasGracePeriodNanoseconds: true } p ? TimeSpan.FromTicks(Math.Max(0, p.GracePeriodNanoseconds) / 100) : null;
            return new KillTask(framework, new TaskId(request.TaskId), grace) { Principal = principal };
        }, context);

    public override Task<V1.CallReply> Acknowledge(V1.AcknowledgeRequest request, ServerCallContext context) =>
        Call(request.Context, (framework, principal) => new AcknowledgeStatus(
            framework,
            new AgentId(request.AgentId),
            new TaskId(request.TaskId),
            ProtoMapping.ToUuid(request.Uuid, "uuid")) { Principal = principal }, context);

    public override Task<V1.CallReply> Teardown(V1.TeardownRequest request, ServerCallContext context) =>
        Call(request.Context, (framework, principal) => new TeardownFramework(framework) { Principal = principal }, context);

    public override Task<V1.CallReply> UpdateFramework(V1.UpdateFrameworkRequest request, ServerCallContext context) =>
        Call(request.Context, (framework, principal) =>
        {
            if (request.FrameworkInfo is null || request.FrameworkInfo.Id != framework.Value)
            {
                throw new WireFormatException("'framework_id' differs from 'update_framework.framework_info.id'");
            }

            return new Core.Commands.UpdateFramework(framework, ProtoMapping.ToCore(request.FrameworkInfo), ValueArray.From(request.SuppressedRoles)) { Principal = principal };
        }, context);

    public override Task<V1.CallReply> Shutdown(V1.ShutdownRequest request, ServerCallContext context) =>
        Call(request.Context, (framework, principal) => new ShutdownExecutor(framework, new AgentId(request.AgentId), new ExecutorId(request.ExecutorId)) { Principal = principal }, context);

    public override async Task<V1.CallReply> Message(V1.MessageRequest request, ServerCallContext context)
    {
        var connection = CheckStream(request.Context);
        var snapshot = await mediator.Send(new GetSnapshot(), context.CancellationToken).ConfigureAwait(false);
        var dropped = FrameworkMessages.ToExecutor(
            snapshot.State, connections, connection.FrameworkId, new AgentId(request.AgentId), new ExecutorId(request.ExecutorId), request.Data);
        return dropped is null ? new V1.CallReply() : throw new RpcException(new Status(StatusCode.FailedPrecondition, dropped));
    }

    public override Task<V1.CallReply> AcknowledgeOperationStatus(V1.AcknowledgeOperationStatusRequest request, ServerCallContext context)
    {
        CheckStream(request.Context);
        _ = Map(() => ProtoMapping.ToUuid(request.Uuid, "uuid"));

        // The master gives feedback only for operations it refused, and those updates carry no uuid: there is
        // nothing a framework can acknowledge (Mesos: "unknown operation", dropped).
        throw new RpcException(new Status(StatusCode.NotFound, $"Operation '{request.OperationId}' is unknown to the master"));
    }

    public override async Task<V1.CallReply> ReconcileOperations(V1.ReconcileOperationsRequest request, ServerCallContext context)
    {
        var connection = CheckStream(request.Context);
        var snapshot = await mediator.Send(new GetSnapshot(), context.CancellationToken).ConfigureAwait(false);
        OperationFeedback.Reconcile(snapshot.State, connection, request.Operations.Select(o => (o.OperationId, o.AgentId, o.ResourceProviderId)).ToList());
        return new V1.CallReply();
    }

    public override async Task<V1.CallReply> Reconcile(V1.ReconcileRequest request, ServerCallContext context)
    {
        var connection = CheckStream(request.Context);
        var snapshot = await mediator.Send(new GetSnapshot(), context.CancellationToken).ConfigureAwait(false);
        var asked = request.Tasks.Select(t => (new TaskId(t.TaskId), new AgentId(t.AgentId))).ToList();
        TaskReconciliation.Answer(snapshot.State, connection, asked, clock.GetUtcNow());
        return new V1.CallReply();
    }

    public override Task<V1.CallReply> AcceptInverseOffers(V1.InverseOffersRequest request, ServerCallContext context) =>
        AnswerInverseOffersAsync(request, InverseOfferAnswer.Accept, context);

    public override Task<V1.CallReply> DeclineInverseOffers(V1.InverseOffersRequest request, ServerCallContext context) =>
        AnswerInverseOffersAsync(request, InverseOfferAnswer.Decline, context);

    /// <summary>Inverse offers are advisory: as Mesos, an answer naming ones that are no longer valid is dropped, not an error.</summary>
    private async Task<V1.CallReply> AnswerInverseOffersAsync(V1.InverseOffersRequest request, InverseOfferAnswer answer, ServerCallContext context)
    {
        var connection = CheckStream(request.Context);
        await mediator.Send(new Submit(InverseOfferCalls.ToCommand(connection.FrameworkId, request, answer)), context.CancellationToken).ConfigureAwait(false);
        return new V1.CallReply();
    }

    private async Task<V1.CallReply> Call(V1.CallContext? callContext, Func<FrameworkId, string, MasterCommand> toCommand, ServerCallContext context)
    {
        var connection = CheckStream(callContext);
        var command = Map(() => toCommand(connection.FrameworkId, "framework:" + connection.FrameworkId));
        var result = await mediator.Send(new Submit(command), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.CallReply();
    }

    /// <summary>Mesos' rules for calls after SUBSCRIBE: the framework must be subscribed and name its current stream.</summary>
    private FrameworkConnection CheckStream(V1.CallContext? callContext)
    {
        if (callContext is null || string.IsNullOrEmpty(callContext.FrameworkId))
        {
            throw GrpcErrors.InvalidArgument("Expecting 'context.framework_id' to be present");
        }

        var connection = connections.Framework(new FrameworkId(callContext.FrameworkId))
            ?? throw new RpcException(new Status(StatusCode.PermissionDenied, $"Framework '{callContext.FrameworkId}' is not subscribed"));
        if (connection.StreamId != callContext.StreamId)
        {
            throw GrpcErrors.InvalidArgument($"The stream id '{callContext.StreamId}' does not match the framework's current subscription");
        }

        return connection;
    }

    private static T Map<T>(Func<T> map)
    {
        try
        {
            return map();
        }
        catch (WireFormatException ex)
        {
            throw GrpcErrors.InvalidArgument(ex.Message);
        }
    }

    private static double? RefuseSeconds(V1.Filters? filters) =>
        filters is { HasRefuseSeconds: true } f ? f.RefuseSeconds : null;

    private static string PrincipalOf(FrameworkInfo info) =>
        string.IsNullOrEmpty(info.Principal) ? "framework:" + info.Name : info.Principal;

    private async Task SubmitQuietly(MasterCommand command)
    {
        try
        {
            await mediator.Send(new Submit(command)).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The master is stopping; its successor marks everyone disconnected when it is elected.
        }
    }
}
