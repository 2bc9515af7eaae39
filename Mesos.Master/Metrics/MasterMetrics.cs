using System.Collections.Concurrent;
using Mesos.Core.Agents;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Resources;
using Mesos.Core.Tasks;
using Mesos.EventLog.Port;
using Mesos.Master.Loop;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Master.Metrics;

/// <summary>
/// The master's own <c>master/*</c> metrics under Mesos' names. Gauges (agents, frameworks, offers, live tasks,
/// resources) are read from the published snapshot; counters (registrations, terminal tasks, messages) count
/// committed events since this master started, as Mesos' counters count since its process started. The counters
/// follow the log rather than the loop, so the loop does no bookkeeping for them: a message the master refused
/// leaves no event and is not counted.
/// </summary>
public sealed class MasterMetrics(
    ClusterStateHolder holder,
    MasterRuntime runtime,
    MasterLoop loop,
    IEventLog log,
    ILogger<MasterMetrics> logger) : BackgroundService, IMetricsSource
{
    private static readonly string[] ScalarNames = ["cpus", "mem", "disk", "gpus"];

    private static readonly (TaskState State, string Name)[] LiveStates =
    [
        (TaskState.Staging, "staging"), (TaskState.Starting, "starting"), (TaskState.Running, "running"),
        (TaskState.Killing, "killing"), (TaskState.Unreachable, "unreachable"),
    ];

    private static readonly (TaskState State, string Name)[] TerminalStates =
    [
        (TaskState.Finished, "finished"), (TaskState.Failed, "failed"), (TaskState.Killed, "killed"),
        (TaskState.Lost, "lost"), (TaskState.Error, "error"), (TaskState.Dropped, "dropped"),
        (TaskState.Gone, "gone"), (TaskState.GoneByOperator, "gone_by_operator"),
    ];

    /// <summary>Counters Mesos always reports, present (at zero) before their first event.</summary>
    private static readonly string[] CounterNames =
    [
        "master/slave_registrations", "master/slave_reregistrations", "master/slave_removals",
        "master/slave_unreachable_completed", "master/messages_register_framework", "master/messages_reregister_framework",
        "master/messages_register_slave", "master/messages_reregister_slave", "master/messages_launch_tasks",
        "master/messages_decline_offers", "master/messages_revive_offers", "master/messages_suppress_offers",
        "master/messages_kill_task", "master/messages_status_update", "master/messages_status_update_acknowledgement",
        "master/messages_teardown_framework", "master/valid_status_updates", "master/valid_status_update_acknowledgements",
        "master/dropped_messages",
    ];

    private readonly long startPosition = holder.Current.Position;
    private readonly ConcurrentDictionary<string, long> counters = new(StringComparer.Ordinal);
    private int operatorSubscribers;

    public void OperatorSubscriberAdded() => Interlocked.Increment(ref operatorSubscribers);

    public void OperatorSubscriberRemoved() => Interlocked.Decrement(ref operatorSubscribers);

    public void Collect(IDictionary<string, double> into)
    {
        var state = holder.Current.State;
        into["master/uptime_secs"] = runtime.Uptime.TotalSeconds;
        into["master/elected"] = runtime.Identity is { } me && state.Master?.Id == me.Id ? 1 : 0;

        var total = ResourceSet.Empty;
        var used = ResourceSet.Empty;
        foreach (var agent in state.Agents.Values.Where(a => a.Status is AgentStatus.Active or AgentStatus.Disconnected))
        {
            total += agent.Info.Resources;
            used += agent.Used;
        }

        foreach (var name in ScalarNames)
        {
            var t = total.Scalar(name).ToDouble();
            var u = used.Scalar(name).ToDouble();
            into[$"master/{name}_total"] = t;
            into[$"master/{name}_used"] = u;
            into[$"master/{name}_percent"] = t > 0 ? u / t : 0;

            // This master offers no revocable resources.
            into[$"master/{name}_revocable_total"] = 0;
            into[$"master/{name}_revocable_used"] = 0;
            into[$"master/{name}_revocable_percent"] = 0;
        }

        var agents = state.Agents.Values;
        into["master/slaves_active"] = agents.Count(a => a.Status == AgentStatus.Active);
        into["master/slaves_inactive"] = 0;
        into["master/slaves_connected"] = agents.Count(a => a.Status == AgentStatus.Active);
        into["master/slaves_disconnected"] = agents.Count(a => a.Status == AgentStatus.Disconnected);
        into["master/slaves_unreachable"] = agents.Count(a => a.Status == AgentStatus.Unreachable);

        var frameworks = state.Frameworks.Values;
        into["master/frameworks_active"] = frameworks.Count(f => f.Status == FrameworkStatus.Active);
        into["master/frameworks_inactive"] = frameworks.Count(f => f.Status != FrameworkStatus.Active);
        into["master/frameworks_connected"] = frameworks.Count(f => f.Status == FrameworkStatus.Active);
        into["master/frameworks_disconnected"] = frameworks.Count(f => f.Status != FrameworkStatus.Active);
        into["master/outstanding_offers"] = state.Offers.Count;

        var live = new Dictionary<TaskState, int>();
        foreach (var task in state.Tasks.Values)
        {
            live[task.State] = live.GetValueOrDefault(task.State) + 1;
        }

        foreach (var (taskState, name) in LiveStates)
        {
            into["master/tasks_" + name] = live.GetValueOrDefault(taskState);
        }

        foreach (var (_, name) in TerminalStates)
        {
            into["master/tasks_" + name] = counters.GetValueOrDefault("master/tasks_" + name);
        }

        foreach (var name in CounterNames)
        {
            into[name] = counters.GetValueOrDefault(name);
        }

        // One queue feeds this master's loop; Mesos' dispatch and HTTP-request queues have no counterpart.
        into["master/event_queue_messages"] = loop.QueueLength;
        into["master/event_queue_dispatches"] = 0;
        into["master/event_queue_http_requests"] = 0;
        into["master/operator_event_stream_subscribers"] = Volatile.Read(ref operatorSubscribers);
    }

    /// <summary>Counts one committed event; public so that a benchmark or test can feed events without a log.</summary>
    public void Count(ClusterEvent @event)
    {
        switch (@event)
        {
            case AgentRegistered:
                Increment("master/slave_registrations");
                Increment("master/messages_register_slave");
                break;
            case AgentReregistered:
                Increment("master/slave_reregistrations");
                Increment("master/messages_reregister_slave");
                break;
            case AgentRemoved:
                Increment("master/slave_removals");
                break;
            case AgentMarkedUnreachable:
                Increment("master/slave_unreachable_completed");
                break;
            case FrameworkSubscribed e:
                Increment(e.Resubscribed ? "master/messages_reregister_framework" : "master/messages_register_framework");
                break;
            case FrameworkRemoved e:
                if (e.Reason == "torn down")
                {
                    Increment("master/messages_teardown_framework");
                }

                break;
            case OfferAccepted:
                Increment("master/messages_launch_tasks");
                break;
            case OfferDeclined:
                Increment("master/messages_decline_offers");
                break;
            case FrameworkRevived:
                Increment("master/messages_revive_offers");
                break;
            case FrameworkSuppressed:
                Increment("master/messages_suppress_offers");
                break;
            case TaskKillRequested:
                Increment("master/messages_kill_task");
                break;
            case TaskStatusUpdated e:
                Increment("master/messages_status_update");
                Increment("master/valid_status_updates");
                foreach (var (taskState, name) in TerminalStates)
                {
                    if (e.Status.State == taskState)
                    {
                        Increment("master/tasks_" + name);
                    }
                }

                break;
            case TaskStatusAcknowledged:
                Increment("master/messages_status_update_acknowledgement");
                Increment("master/valid_status_update_acknowledgements");
                break;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var recorded in log.TailAsync(startPosition, stoppingToken).ConfigureAwait(false))
            {
                Count(recorded.Event);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            // Metrics must never take the master down; the counters stop where the log could not be read.
            logger.LogWarning(ex, "Master metrics stopped following the event log");
        }
    }

    private void Increment(string name) => counters.AddOrUpdate(name, 1, (_, n) => n + 1);
}
