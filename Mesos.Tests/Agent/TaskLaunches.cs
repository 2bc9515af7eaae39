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

    public static CommandExecutor Executor(TaskLaunch launch, StatusCollector collector, IContainerizer containerizer, bool switchUser = false) =>
        new(launch, containerizer, collector.Report, TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(3)) { SwitchUser = switchUser };

    /// <summary>Gives the task scalar resources, as the master's run_task carries them.</summary>
    public static TaskLaunch WithScalars(this TaskLaunch launch, params (string Name, double Value)[] scalars)
    {
        foreach (var (name, value) in scalars)
        {
            launch.Task.Resources.Add(new Resource { Name = name, Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = value } });
        }

        return launch;
    }
}
