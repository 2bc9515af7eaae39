using Mesos.Agent.Containerizer;
using Mesos.Agent.Executor;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Tests.Agent;

/// <summary>Builds command tasks and executors the way the agent does when the master sends run_task.</summary>
internal static class TaskLaunches
{
    public static TaskLaunch Shell(string workDir, string command, params FrameworkInfo.Types.Capability[] capabilities)
    {
        var framework = new FrameworkInfo { Id = "framework-1", Name = "tests", User = "root" };
        framework.Capabilities.AddRange(capabilities);
        var task = new TaskInfo { TaskId = "task-" + Guid.NewGuid().ToString("N")[..8], Name = "test task", Command = new CommandInfo { Value = command } };
        return new TaskLaunch("agent-S0", framework, task, task.TaskId, workDir, "127.0.0.1:5051");
    }

    public static CommandExecutor Executor(TaskLaunch launch, StatusCollector collector, TimeSpan? killGrace = null) =>
        new(launch, new PosixContainerizer(), collector.Report, TimeProvider.System, NullLogger.Instance, killGrace ?? TimeSpan.FromSeconds(3));
}
