using Mesos.Protocol.V1;

namespace Mesos.Agent.Executor;

/// <summary>One task to run with the built-in command executor, and where the agent that runs it lives.</summary>
public sealed record TaskLaunch(
    string AgentId,
    FrameworkInfo Framework,
    TaskInfo Task,
    string ExecutorId,
    string WorkDir,
    string AgentEndpoint)
{
    public string FrameworkId => Framework.Id;

    public string TaskId => Task.TaskId;
}
