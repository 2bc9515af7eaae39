using Grpc.Core;
using Mediator;
using Mesos.Core.Agents;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using Mesos.Master.Application;
using Mesos.Master.Configuration;
using Mesos.Master.Loop;
using Mesos.Master.Notify;
using Microsoft.Extensions.Hosting;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>The master's side of the agent protocol: attach (register or re-register), heartbeats, status updates.</summary>
public sealed class AgentRegistryService(
    IMediator mediator,
    ConnectionRegistry connections,
    ClusterStateHolder holder,
    OutboundRouter router,
    MasterOptions options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock) : V1.AgentRegistry.AgentRegistryBase
{
    public override async Task Attach(V1.AttachRequest request, IServerStreamWriter<V1.MasterToAgent> responseStream, ServerCallContext context)
    {
        var info = Map(() => ProtoMapping.ToCore(request.AgentInfo));
        var principal = "agent:" + info.Hostname;
        var ip = PeerIp(context);
        MasterCommand command = string.IsNullOrEmpty(request.AgentId)
            ? new RegisterAgent(info) { Principal = principal, Ip = ip }
            : new ReregisterAgent(
                new AgentId(request.AgentId),
                info,
                ValueArray.From(request.RunningTasks.Select(t => new ReportedTask(new FrameworkId(t.FrameworkId), new TaskId(t.TaskId), (TaskState)(int)t.State))))
            { Principal = principal, Ip = ip };

        AgentConnection? connection = null;
        var result = await mediator.Send(new Submit(command, committed =>
        {
            var (agentId, reregistered) = committed.Events[0] switch
            {
                AgentRegistered e => (e.AgentId, false),
                AgentReregistered e => (e.AgentId, true),
                var other => throw new InvalidOperationException($"unexpected {other.GetType().Name}"),
            };
            connection = new AgentConnection(agentId);
            connections.Replace(connection);
            connection.Send(new V1.MasterToAgent
            {
                Registered = new V1.MasterToAgent.Types.Registered
                {
                    AgentId = agentId.Value,
                    MasterInfo = ProtoMapping.ToWire(holder.Current.State.Master),
                    HeartbeatIntervalSeconds = options.AgentPingTimeout.TotalSeconds,
                    Reregistered = reregistered,

                    // What the master records of its reservations and volumes, which the agent keeps its volumes in step with.
                    CheckpointedResources =
                    {
                        holder.Current.State.Agents.TryGetValue(agentId, out var registered)
                            ? OutboundRouter.CheckpointMessage(registered).CheckpointResources.Resources
                            : [],
                    },
                },
            });

            // Kills asked for while the agent was away still have to happen.
            foreach (var task in holder.Current.State.TasksOn(agentId).Where(t => t.KillRequested && !t.IsTerminal))
            {
                connection.Send(OutboundRouter.KillMessage(task.Key.FrameworkId, task.Key.TaskId, task.Info.KillGracePeriod));
            }

            // As Mesos' re-registration: an agent still draining (or drained) is told to drain again.
            if (holder.Current.State.Agents.TryGetValue(agentId, out var registeredAgent) && registeredAgent.Drain is { } drain)
            {
                connection.Send(OutboundRouter.DrainMessage(drain.MaxGracePeriodNanoseconds, drain.MarkGone));
            }

            // And frameworks removed while it was away must not keep running there.
            if (command is ReregisterAgent reregister)
            {
                foreach (var frameworkId in ClusterDecider.FrameworksToShutDown(holder.Current.State, reregister))
                {
                    connection.Send(new V1.MasterToAgent { ShutdownFramework = new V1.MasterToAgent.Types.ShutdownFramework { FrameworkId = frameworkId.Value } });
                }
            }
        }), context.CancellationToken).ConfigureAwait(false);

        if (result.Error is { } error)
        {
            // An agent on a machine under maintenance is told to shut down, as Mesos refuses it.
            if (error.Message == MaintenanceDecisions.MachineIsDown)
            {
                await responseStream.WriteAsync(new V1.MasterToAgent
                {
                    Shutdown = new V1.MasterToAgent.Types.Shutdown { Message = MaintenanceDecisions.MachineIsDown },
                }, context.CancellationToken).ConfigureAwait(false);
                return;
            }

            // A gone agent that comes back is told to shut down, as Mesos does, rather than left to retry forever.
            if (command is ReregisterAgent back && holder.Current.State.Agents.TryGetValue(back.AgentId, out var known) && known.Status == AgentStatus.Removed)
            {
                await responseStream.WriteAsync(new V1.MasterToAgent
                {
                    Shutdown = new V1.MasterToAgent.Types.Shutdown { Message = AgentRemoved.MarkedGone },
                }, context.CancellationToken).ConfigureAwait(false);
                return;
            }

            throw GrpcErrors.ToRpc(error);
        }

        var current = connection!;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, current.Closed, lifetime.ApplicationStopping);
        try
        {
            await foreach (var message in current.Outbox.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(message, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        catch (InvalidOperationException) when (context.CancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connections.Detach(current) && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                try
                {
                    await mediator.Send(new Submit(new DisconnectAgent(current.AgentId) { Principal = "master" })).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // The master is stopping.
                }
            }
        }
    }

    /// <summary>
    /// The IP the agent connects from: Mesos names an agent's machine by its hostname and the IP of its pid, and this is
    /// where the master reaches it. IPv4 clients on a dual-stack socket arrive as mapped IPv6 and are named as IPv4.
    /// </summary>
    private static string? PeerIp(ServerCallContext context)
    {
        var address = context.GetHttpContext()?.Connection.RemoteIpAddress;
        return address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    public override async Task<V1.HeartbeatReply> Heartbeat(V1.HeartbeatRequest request, ServerCallContext context)
    {
        var agentId = new AgentId(request.AgentId);
        if (connections.Agent(agentId) is null)
        {
            return new V1.HeartbeatReply { Known = false };
        }

        var result = await mediator.Send(new Submit(new RecordAgentHeartbeat(agentId) { Principal = "agent:" + request.AgentId }), context.CancellationToken).ConfigureAwait(false);
        return new V1.HeartbeatReply { Known = !result.IsError };
    }

    public override async Task<V1.StatusUpdateReply> SendStatusUpdate(V1.StatusUpdateRequest request, ServerCallContext context)
    {
        if (request.Status is null || string.IsNullOrEmpty(request.Status.TaskId))
        {
            throw GrpcErrors.InvalidArgument("status with a task_id is required");
        }

        var frameworkId = new FrameworkId(string.IsNullOrEmpty(request.FrameworkId) ? request.Status.FrameworkId : request.FrameworkId);
        var agentId = new AgentId(request.AgentId);
        var taskId = new TaskId(request.Status.TaskId);
        var status = Map(() => ProtoMapping.ToCore(request.Status, clock.GetUtcNow()));
        var result = await mediator.Send(
            new Submit(new UpdateTaskStatus(agentId, frameworkId, taskId, status) { Principal = "agent:" + request.AgentId }),
            context.CancellationToken).ConfigureAwait(false);

        switch (result.Error)
        {
            case null:
                return new V1.StatusUpdateReply();
            case { Kind: DecideErrorKind.AlreadyApplied }:
                // The agent retried because no acknowledgement reached it: the framework may have missed it too.
                var state = holder.Current.State;
                if (state.Tasks.TryGetValue(new TaskKey(frameworkId, taskId), out var task) && task.PendingUuid == status.Uuid)
                {
                    router.ForwardStatus(state, frameworkId, taskId, agentId, status);
                }
                else if (task is not null && status.Uuid is { } acknowledged && task.Statuses.Any(s => s.Uuid == acknowledged))
                {
                    // Recorded and no longer pending: the framework acknowledged it while the agent was away.
                    router.ResendAcknowledgement(agentId, frameworkId, taskId, acknowledged);
                }

                return new V1.StatusUpdateReply { Duplicate = true };
            case var error:
                // Anything else is final for this update: the agent drops it rather than retry forever.
                throw new RpcException(new Status(StatusCode.FailedPrecondition, error.Message));
        }
    }

    public override async Task<V1.ExecutorExitedReply> ExecutorExited(V1.ExecutorExitedRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.FrameworkId) || string.IsNullOrEmpty(request.ExecutorId))
        {
            throw GrpcErrors.InvalidArgument("framework_id and executor_id are required");
        }

        var command = new RemoveExecutor(
            new FrameworkId(request.FrameworkId), new AgentId(request.AgentId), new ExecutorId(request.ExecutorId), request.HasStatus ? request.Status : null)
        {
            Principal = "agent:" + request.AgentId,
        };
        await mediator.Send(new Submit(command), context.CancellationToken).ConfigureAwait(false);
        return new V1.ExecutorExitedReply();
    }

    /// <summary>An executor's MESSAGE for its framework: relayed as a MESSAGE event, never logged (see <see cref="FrameworkMessages"/>).</summary>
    public override Task<V1.ExecutorMessageReply> ExecutorMessage(V1.ExecutorMessageRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.FrameworkId) || string.IsNullOrEmpty(request.ExecutorId) || string.IsNullOrEmpty(request.AgentId))
        {
            throw GrpcErrors.InvalidArgument("agent_id, framework_id and executor_id are required");
        }

        var dropped = FrameworkMessages.ToFramework(
            holder.Current.State, connections, new FrameworkId(request.FrameworkId), new AgentId(request.AgentId), new ExecutorId(request.ExecutorId), request.Data);
        return dropped is null
            ? Task.FromResult(new V1.ExecutorMessageReply())
            : throw new RpcException(new Status(StatusCode.FailedPrecondition, dropped));
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
}
