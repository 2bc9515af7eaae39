using Google.Protobuf;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.Executor;

/// <summary>What the agent itself says about tasks (SOURCE_AGENT), and the environment every container starts from.</summary>
internal static class AgentStatuses
{
    /// <summary>The PATH a container gets when the agent has none to pass on.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>A fresh update from the agent on a task's behalf, with its own uuid so it is delivered reliably.</summary>
    public static TaskStatus Create(
        TimeProvider time, string frameworkId, string taskId, string executorId, string agentId, TaskState state, string message, TaskStatus.Types.Reason reason) => new()
    {
        TaskId = taskId,
        FrameworkId = frameworkId,
        ExecutorId = executorId,
        AgentId = agentId,
        State = state,
        Message = message,
        Source = TaskStatus.Types.Source.Agent,
        Reason = reason,
        Timestamp = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
        Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
    };
}
