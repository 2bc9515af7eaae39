using Mesos.Core.Agents;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Master.Api.Grpc;
using SchedulerEvent = Mesos.Protocol.V1.SchedulerEvent;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Master.Notify;

/// <summary>
/// Mesos' answers to RECONCILE, shared by the gRPC and HTTP edges so both give the same states for the same
/// question. Answers are queued on the framework's stream as UPDATE events without a uuid (never acknowledged).
/// </summary>
public static class TaskReconciliation
{
    /// <summary>Empty <paramref name="asked"/>: implicit reconciliation of every task the master knows for the framework.</summary>
    public static void Answer(ClusterState state, FrameworkConnection connection, IReadOnlyList<(TaskId TaskId, AgentId AgentId)> asked, DateTimeOffset now)
    {
        var partitionAware = state.Frameworks.TryGetValue(connection.FrameworkId, out var framework) && framework.Info.Has(FrameworkCapability.PartitionAware);
        if (asked.Count == 0)
        {
            foreach (var task in state.TasksOf(connection.FrameworkId))
            {
                Send(connection, task.Key, task.AgentId, task.ExecutorId, task.State, string.Empty, partitionAware, now);
            }

            return;
        }

        foreach (var (taskId, agentId) in asked)
        {
            var key = new TaskKey(connection.FrameworkId, taskId);
            if (state.Tasks.TryGetValue(key, out var task))
            {
                Send(connection, key, task.AgentId, task.ExecutorId, task.State, string.Empty, partitionAware, now);
            }
            else if (framework?.CompletedTasks.LastOrDefault(t => t.Key == key) is { } completed)
            {
                Send(connection, key, completed.AgentId, completed.ExecutorId, completed.State, string.Empty, partitionAware, now);
            }
            else if (state.Agents.TryGetValue(agentId, out var agent))
            {
                var answer = agent.Status switch
                {
                    AgentStatus.Unreachable => TaskState.Unreachable,
                    AgentStatus.Removed => TaskState.GoneByOperator,
                    _ => TaskState.Gone,
                };
                Send(connection, key, agentId, null, answer, "Reconciliation: task is unknown to the master", partitionAware, now);
            }
            else
            {
                Send(connection, key, agentId, null, TaskState.Unknown, "Reconciliation: task and agent are unknown to the master", partitionAware, now);
            }
        }
    }

    private static void Send(FrameworkConnection connection, TaskKey key, AgentId agentId, ExecutorId? executorId, TaskState state, string message, bool partitionAware, DateTimeOffset now)
    {
        var status = new TaskStatus(state, TaskReason.Reconciliation, message, StatusSource.Master, null, now);
        connection.Send(new SchedulerEvent
        {
            Update = new SchedulerEvent.Types.Update { Status = ProtoMapping.ToWire(key, agentId, executorId, status, partitionAware) },
        });
    }
}
