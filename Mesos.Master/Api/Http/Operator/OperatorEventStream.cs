using System.Buffers;
using System.Text.Json;
using Mesos.Core.Agents;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.EventLog.Port;
using Mesos.Master.Configuration;
using Mesos.Master.Loop;
using Mesos.Master.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Mesos.Master.Api.Http.SchedulerEventJson;
using Wire = Mesos.Protocol.Wire.Master;

namespace Mesos.Master.Api.Http.Operator;

/// <summary>
/// The operator API's SUBSCRIBE: SUBSCRIBED with the whole GET_STATE of a snapshot, then the public events of
/// every batch committed after it, read from the log itself (tail from the snapshot's position) and folded onto
/// the subscriber's own copy of the state. So a subscriber sees exactly the committed history, in order, with no
/// gap between the snapshot and the first delta, and the master loop does nothing for it.
/// </summary>
public static class OperatorEventStream
{
    public static async Task ServeAsync(HttpContext http, ClusterSnapshot snapshot)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<MasterOptions>();
        var log = services.GetRequiredService<IEventLog>();
        var metrics = services.GetRequiredService<MasterMetrics>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var responseType = OperatorHttpEndpoints.ResponseType(http);
        response.ContentType = responseType;
        byte[] Encode(byte[] json) => WireEncoding.Encode(responseType, Wire.Event.Descriptor, json);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;

        metrics.OperatorSubscriberAdded();
        var events = log.TailAsync(snapshot.Position, ct).GetAsyncEnumerator(ct);
        Task<bool>? next = null;
        try
        {
            await RecordIo.WriteAsync(response.Body, Encode(Event("SUBSCRIBED", "subscribed", json =>
            {
                json.WriteStartObject();
                json.WritePropertyName("get_state");
                V1Json.WriteGetState(json, snapshot.State, MasterEndpoints.Version);
                WriteDouble(json, "heartbeat_interval_seconds", options.FrameworkHeartbeatInterval.TotalSeconds);
                json.WriteEndObject();
            })), ct).ConfigureAwait(false);

            var state = snapshot.State;
            var tick = Task.Delay(options.FrameworkHeartbeatInterval, ct);
            while (!ct.IsCancellationRequested)
            {
                next ??= events.MoveNextAsync().AsTask();
                if (await Task.WhenAny(next, tick).ConfigureAwait(false) != next)
                {
                    await RecordIo.WriteAsync(response.Body, Encode(Heartbeat()), ct).ConfigureAwait(false);
                    tick = Task.Delay(options.FrameworkHeartbeatInterval, ct);
                    continue;
                }

                var more = await next.ConfigureAwait(false);
                next = null;
                if (!more)
                {
                    break;
                }

                var before = state;
                state = ClusterFold.Apply(state, events.Current.Event);
                foreach (var record in Translate(before, state, events.Current.Event))
                {
                    await RecordIo.WriteAsync(response.Body, Encode(record), ct).ConfigureAwait(false);
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
            // The tail must be idle before it is disposed: cancel it and let its pending read finish.
            await stop.CancelAsync().ConfigureAwait(false);
            if (next is not null)
            {
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await events.DisposeAsync().ConfigureAwait(false);
            metrics.OperatorSubscriberRemoved();
        }
    }

    public static byte[] Heartbeat()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "HEARTBEAT");
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// master.Event for one committed event, as Mesos' master sends them: tasks added and changing state, agents
    /// added and removed (an unreachable agent is removed from the registered ones), frameworks added, updated
    /// (re-subscribed or disconnected) and removed. Other events have no operator counterpart.
    /// </summary>
    private static TaskKey? LaunchedTask(ClusterEvent @event) => @event switch
    {
        TaskLaunched e => new TaskKey(e.FrameworkId, e.Task.TaskId),
        TaskLaunchedOnExecutor e => new TaskKey(e.FrameworkId, e.Task.TaskId),
        _ => null,
    };

    public static IEnumerable<byte[]> Translate(ClusterState before, ClusterState after, ClusterEvent @event)
    {
        switch (@event)
        {
            case TaskLaunched or TaskLaunchedOnExecutor when LaunchedTask(@event) is { } launched && after.Tasks.TryGetValue(launched, out var task):
                yield return Event("TASK_ADDED", "task_added", json =>
                {
                    json.WriteStartObject();
                    json.WritePropertyName("task");
                    V1Json.WriteTask(json, task);
                    json.WriteEndObject();
                });
                break;

            case TaskGroupLaunched e:
                foreach (var launched in e.Tasks)
                {
                    if (after.Tasks.TryGetValue(new TaskKey(e.FrameworkId, launched.TaskId), out var grouped))
                    {
                        yield return Event("TASK_ADDED", "task_added", json =>
                        {
                            json.WriteStartObject();
                            json.WritePropertyName("task");
                            V1Json.WriteTask(json, grouped);
                            json.WriteEndObject();
                        });
                    }
                }

                break;

            case TaskStatusUpdated e:
                var key = new TaskKey(e.FrameworkId, e.TaskId);
                var was = before.Tasks.TryGetValue(key, out var old) ? old.State : (Core.Tasks.TaskState?)null;
                var now = after.Tasks.TryGetValue(key, out var updated) ? updated.State
                    : after.Frameworks.TryGetValue(e.FrameworkId, out var owner) && owner.CompletedTasks.LastOrDefault(t => t.Key == key) is { } done ? done.State
                    : e.Status.State;
                if (was != now)
                {
                    yield return Event("TASK_UPDATED", "task_updated", json =>
                    {
                        json.WriteStartObject();
                        WriteId(json, "framework_id", e.FrameworkId.Value);
                        json.WritePropertyName("status");
                        WriteTaskStatus(json, Grpc.ProtoMapping.ToWire(key, e.AgentId, null, e.Status, partitionAware: true));
                        json.WriteString("state", V1Json.StateName(now));
                        json.WriteEndObject();
                    });
                }

                break;

            case AgentRegistered e when after.Agents.TryGetValue(e.AgentId, out var agent):
                yield return AgentAdded(agent);
                break;

            case AgentReregistered e when after.Agents.TryGetValue(e.AgentId, out var agent)
                && !(before.Agents.TryGetValue(e.AgentId, out var known) && known.Status is AgentStatus.Active or AgentStatus.Disconnected):
                yield return AgentAdded(agent);
                break;

            case AgentRemoved e when before.Agents.TryGetValue(e.AgentId, out var removed) && removed.Status != AgentStatus.Unreachable:
                yield return AgentRemoved(e.AgentId);
                break;

            case AgentMarkedUnreachable e:
                yield return AgentRemoved(e.AgentId);
                break;

            case FrameworkSubscribed e when after.Frameworks.TryGetValue(e.FrameworkId, out var framework):
                var added = !before.Frameworks.ContainsKey(e.FrameworkId);
                yield return FrameworkEvent(added ? "FRAMEWORK_ADDED" : "FRAMEWORK_UPDATED", after, framework);
                break;

            case FrameworkDisconnected e when after.Frameworks.TryGetValue(e.FrameworkId, out var framework):
                yield return FrameworkEvent("FRAMEWORK_UPDATED", after, framework);
                break;

            // As Mesos: UPDATE_FRAMEWORK announces only a change of FrameworkInfo, not of the suppressed roles alone.
            case FrameworkUpdated e when after.Frameworks.TryGetValue(e.FrameworkId, out var framework)
                && !(before.Frameworks.TryGetValue(e.FrameworkId, out var previous) && previous.Info == framework.Info):
                yield return FrameworkEvent("FRAMEWORK_UPDATED", after, framework);
                break;

            case FrameworkRemoved e when before.Frameworks.TryGetValue(e.FrameworkId, out var framework):
                yield return Event("FRAMEWORK_REMOVED", "framework_removed", json =>
                {
                    json.WriteStartObject();
                    V1Json.WriteFrameworkInfo(json, "framework_info", framework.Id, framework.Info);
                    json.WriteEndObject();
                });
                break;
        }
    }

    /// <summary>FRAMEWORK_ADDED or FRAMEWORK_UPDATED: the framework as it is after the event.</summary>
    private static byte[] FrameworkEvent(string type, ClusterState after, FrameworkState framework) => Event(type, type.ToLowerInvariant(), json =>
    {
        json.WriteStartObject();
        json.WritePropertyName("framework");
        V1Json.WriteFramework(json, after, framework);
        json.WriteEndObject();
    });

    private static byte[] AgentAdded(AgentState agent) => Event("AGENT_ADDED", "agent_added", json =>
    {
        json.WriteStartObject();
        json.WritePropertyName("agent");
        V1Json.WriteAgent(json, agent, MasterEndpoints.Version);
        json.WriteEndObject();
    });

    private static byte[] AgentRemoved(AgentId agentId) => Event("AGENT_REMOVED", "agent_removed", json =>
    {
        json.WriteStartObject();
        WriteId(json, "agent_id", agentId.Value);
        json.WriteEndObject();
    });

    private static byte[] Event(string type, string field, Action<Utf8JsonWriter> value) =>
        OperatorHttpEndpoints.Render(type, field, value);
}
