using Google.Protobuf;
using Mesos.Core.Agents;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Protocol.V1;

namespace Mesos.Master.Notify;

/// <summary>
/// MESSAGE between a framework and its executors, both ways, for the gRPC and HTTP edges alike. Mesos relays these
/// at most once and keeps nothing of them: they are not events, so they never enter the log. A message is opaque
/// data that changes no state the fold could rebuild, replaying it would deliver it again, and logging every
/// byte a framework chats with its executors would grow the durable log with what Mesos itself drops on any
/// failover. What is dropped is logged by the caller with the reason returned here, as Mesos logs it.
/// </summary>
public static class FrameworkMessages
{
    /// <summary>Scheduler → executor (Mesos' FrameworkToExecutorMessage through the agent). Null when sent, else why it was dropped.</summary>
    public static string? ToExecutor(ClusterState state, ConnectionRegistry connections, FrameworkId frameworkId, AgentId agentId, ExecutorId executorId, ByteString data)
    {
        if (!state.Agents.TryGetValue(agentId, out var agent) || agent.Status is AgentStatus.Removed or AgentStatus.Unreachable)
        {
            return $"Cannot send framework message for framework {frameworkId} to agent {agentId} because agent is not registered";
        }

        if (agent.Status != AgentStatus.Active || connections.Agent(agentId) is not { } connection)
        {
            return $"Cannot send framework message for framework {frameworkId} to agent {agentId} because agent is disconnected";
        }

        connection.Send(new MasterToAgent
        {
            FrameworkMessage = new MasterToAgent.Types.FrameworkMessage { FrameworkId = frameworkId.Value, ExecutorId = executorId.Value, Data = data },
        });
        return null;
    }

    /// <summary>Executor → scheduler (Mesos' ExecutorToFrameworkMessage): a MESSAGE event on the framework's stream, if it has one.</summary>
    public static string? ToFramework(ClusterState state, ConnectionRegistry connections, FrameworkId frameworkId, AgentId agentId, ExecutorId executorId, ByteString data)
    {
        if (!state.Frameworks.ContainsKey(frameworkId))
        {
            return $"Not forwarding executor message for executor '{executorId}' of framework {frameworkId} because the framework is unknown";
        }

        if (connections.Framework(frameworkId) is not { } connection)
        {
            return $"Not forwarding executor message for executor '{executorId}' of framework {frameworkId} because the framework is disconnected";
        }

        connection.Send(new SchedulerEvent
        {
            Message = new SchedulerEvent.Types.Message { AgentId = agentId.Value, ExecutorId = executorId.Value, Data = data },
        });
        return null;
    }
}
