using Mesos.Agent.Executor;
using Mesos.Agent.Recovery;
using Mesos.Agent.State;
using Mesos.Protocol.Mapping;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Agent;

/// <summary>
/// Task groups (Mesos' RunTaskGroupMessage). A group for a DEFAULT executor runs on the agent's built-in default
/// executor: one executor run per framework and executor id, each task a process of its own in its sandbox
/// <c>&lt;executor run&gt;/tasks/&lt;task id&gt;</c>, its updates through the same reliable path as command tasks. As
/// Mesos' default executor, a task that fails or is killed (or a KILL of one task) kills the rest of its group, and
/// the executor ends once no task is left. A group for a custom executor goes to it as LAUNCH_GROUP.
/// </summary>
internal sealed partial class AgentCore
{
    /// <summary>Told when a default executor ended (Mesos' ExitedExecutorMessage): agent, framework and executor ids.</summary>
    public Action<string, string, string>? DefaultExecutorExited { get; set; }

    public void RunTaskGroup(MasterToAgent.Types.RunTaskGroup run)
    {
        var frameworkInfo = run.FrameworkInfo ?? new FrameworkInfo();
        if (run.Executor is not { } executorInfo || executorInfo.ExecutorId.Length == 0 || run.Tasks.Count == 0 || frameworkInfo.Id.Length == 0)
        {
            _log.LogWarning("Ignoring run_task_group without an executor, tasks or framework id");
            return;
        }

        if (executorInfo.Type != ExecutorInfo.Types.Type.Default)
        {
            RunGroupOnCustomExecutor(frameworkInfo, run);
            return;
        }

        var started = new List<ExecutorEntry>();
        lock (_gate)
        {
            if (_agentId is not { } agentId)
            {
                _log.LogWarning("Ignoring run_task_group for executor {ExecutorId}: the agent is not registered", executorInfo.ExecutorId);
                return;
            }

            if (run.Tasks.FirstOrDefault(t => _tasks.ContainsKey((frameworkInfo.Id, t.TaskId))) is { } known)
            {
                _log.LogWarning("Ignoring run_task_group of framework {FrameworkId}: task {TaskId} is already known", frameworkInfo.Id, known.TaskId);
                return;
            }

            var framework = FrameworkFor(frameworkInfo);
            if (!framework.DefaultExecutors.TryGetValue(executorInfo.ExecutorId, out var executor))
            {
                executor = StartDefaultExecutorLocked(agentId, frameworkInfo.Id, executorInfo, Guid.NewGuid().ToString());
                framework.DefaultExecutors[executor.ExecutorId] = executor;
            }

            var group = executor.NextGroup++;
            foreach (var task in run.Tasks)
            {
                var taskContainerId = Guid.NewGuid().ToString();
                var checkpoint = CheckpointGroupLaunch(agentId, frameworkInfo, task, executor, taskContainerId, group);
                started.Add(AddGroupTaskLocked(agentId, framework, executor, task, taskContainerId, checkpoint, group, TaskState.TaskStaging));
            }
        }

        foreach (var entry in started)
        {
            _log.LogInformation("Launching task {TaskId} of framework {FrameworkId} on default executor {ExecutorId} in {Sandbox}",
                entry.Task.Info.TaskId, entry.FrameworkId, entry.ExecutorId, entry.Executor.Directory);
            entry.Run = Task.Run(() => entry.Executor.RunAsync(_stopping.Token));
        }
    }

    private FrameworkEntry FrameworkFor(FrameworkInfo frameworkInfo)
    {
        if (!_frameworks.TryGetValue(frameworkInfo.Id, out var framework))
        {
            framework = new FrameworkEntry(frameworkInfo);
            _frameworks[frameworkInfo.Id] = framework;
        }
        else
        {
            framework.Info = frameworkInfo;
            framework.ShuttingDown = false;
        }

        return framework;
    }

    private DefaultExecutorRun StartDefaultExecutorLocked(string agentId, string frameworkId, ExecutorInfo info, string containerId)
    {
        var executorInfo = info.Clone();
        executorInfo.FrameworkId = frameworkId;
        var directory = SandboxLayout.RunDirectory(_options.WorkDir, agentId, frameworkId, info.ExecutorId, containerId);
        foreach (var path in ExecutorDirectories(agentId, frameworkId, info.ExecutorId))
        {
            // An executor id used again runs in the same executor directory, which must not go from under it.
            Gc.Unschedule(path);
        }

        try
        {
            SandboxLayout.Create(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Each task then fails to make its sandbox and reports TASK_FAILED itself.
            _log.LogWarning("Cannot create the sandbox of default executor {ExecutorId}: {Message}", info.ExecutorId, e.Message);
        }

        _log.LogInformation("Starting default executor {ExecutorId} of framework {FrameworkId} in {Sandbox}", info.ExecutorId, frameworkId, directory);
        return new DefaultExecutorRun(executorInfo, frameworkId, containerId, directory);
    }

    private ExecutorEntry AddGroupTaskLocked(
        string agentId, FrameworkEntry framework, DefaultExecutorRun executor, TaskInfo task, string taskContainerId, TaskCheckpoint? checkpoint, int group, TaskState latest)
    {
        var launch = new TaskLaunch(agentId, framework.Info, task, executor.ExecutorId, _options.WorkDir, AgentEndpoint());
        ExecutorEntry? created = null;
        var process = new CommandExecutor(launch, _containerizer, status => OnExecutorStatus(created!, status), _time,
            _loggers.CreateLogger("Mesos.Agent.Executor"), _options.DefaultKillGracePeriod, taskContainerId, checkpoint,
            SandboxLayout.NestedTaskDirectory(executor.Directory, task.TaskId))
        {
            SwitchUser = _options.SwitchUser,
        };
        created = new ExecutorEntry(process, new TaskEntry(task, framework.Id, executor.ExecutorId) { LatestState = latest }, checkpoint)
        {
            DefaultExecutor = executor,
            Group = group,
        };
        executor.Tasks.Add(created);
        framework.Executors[created.Key] = created;
        _tasks[(framework.Id, task.TaskId)] = created;
        return created;
    }

    /// <summary>A task of a group a previous run of the agent checkpointed: back into its default executor run and group.</summary>
    private ExecutorEntry RecoverGroupTaskLocked(string agentId, FrameworkEntry framework, RecoveredTask task, ExecutorInfo executorInfo, string executorContainerId, int group)
    {
        if (!framework.DefaultExecutors.TryGetValue(task.ExecutorId, out var executor) || executor.ContainerId != executorContainerId)
        {
            var directory = SandboxLayout.RunDirectory(_options.WorkDir, agentId, framework.Id, task.ExecutorId, executorContainerId);
            executor = new DefaultExecutorRun(executorInfo, framework.Id, executorContainerId, directory);
            framework.DefaultExecutors[task.ExecutorId] = executor;
            foreach (var path in ExecutorDirectories(agentId, framework.Id, task.ExecutorId))
            {
                // A sibling already done may have scheduled them when it was forgotten.
                Gc.Unschedule(path);
            }
        }

        executor.NextGroup = Math.Max(executor.NextGroup, group + 1);
        var entry = AddGroupTaskLocked(agentId, framework, executor, task.Task, task.ContainerId, task.Checkpoint, group, task.LatestState);
        entry.Task.Statuses.AddRange(task.Updates);
        return entry;
    }

    /// <summary>A task of a group is checkpointed as a run of its own (its process), beside what recovery needs to put it back in its group.</summary>
    private TaskCheckpoint? CheckpointGroupLaunch(string agentId, FrameworkInfo framework, TaskInfo task, DefaultExecutorRun executor, string taskContainerId, int group)
    {
        try
        {
            var checkpoint = new TaskCheckpoint(_options.WorkDir, agentId, framework.Id, executor.ExecutorId, taskContainerId, task.TaskId);
            checkpoint.WriteLaunch(framework, task);
            checkpoint.WriteGroup(executor.Info, executor.ContainerId, group);
            return checkpoint;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _log.LogWarning("Cannot checkpoint task {TaskId} of framework {FrameworkId}: {Message}; it will not survive an agent restart",
                task.TaskId, framework.Id, e.Message);
            return null;
        }
    }

    /// <summary>Kills the live tasks of <paramref name="entry"/>'s group other than itself, each with its own kill policy.</summary>
    private void KillGroupOf(ExecutorEntry entry, string why)
    {
        List<ExecutorEntry> others;
        lock (_gate)
        {
            others = entry.DefaultExecutor?.Tasks
                .Where(e => e != entry && e.Group == entry.Group && !CommandExecutor.IsTerminal(e.Task.LatestState))
                .ToList() ?? [];
        }

        if (others.Count == 0)
        {
            return;
        }

        _log.LogInformation("{Why}: killing {Tasks}", why, string.Join(", ", others.Select(e => e.Task.Info.TaskId)));
        foreach (var other in others)
        {
            other.Executor.Kill(null);
        }
    }

    /// <summary>SHUTDOWN of a default executor: all its tasks are killed, within the executor shutdown grace period.</summary>
    private bool ShutdownDefaultExecutor(string frameworkId, string executorId)
    {
        List<ExecutorEntry> tasks;
        lock (_gate)
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework) || !framework.DefaultExecutors.TryGetValue(executorId, out var executor))
            {
                return false;
            }

            tasks = executor.Tasks.ToList();
        }

        _log.LogInformation("Shutting down default executor {ExecutorId} of framework {FrameworkId}: killing {Count} task(s)", executorId, frameworkId, tasks.Count);
        var grace = new KillPolicy { GracePeriodNanoseconds = _options.ExecutorShutdownGracePeriod.Ticks * 100 };
        foreach (var task in tasks)
        {
            task.Executor.Kill(ShorterOf(task.Task.Info.KillPolicy, grace));
        }

        return true;
    }

    /// <summary>A task of a default executor is done (its terminal update acknowledged); the executor ends with its last task.</summary>
    private void CompleteGroupTaskLocked(DefaultExecutorRun executor, ExecutorEntry entry)
    {
        executor.Tasks.Remove(entry);
        if (executor.Tasks.Count > 0 || _agentId is not { } agentId)
        {
            return;
        }

        if (_frameworks.TryGetValue(executor.FrameworkId, out var framework)
            && framework.DefaultExecutors.TryGetValue(executor.ExecutorId, out var current) && current == executor)
        {
            framework.DefaultExecutors.Remove(executor.ExecutorId);
        }

        _log.LogInformation("Default executor {ExecutorId} of framework {FrameworkId} has no task left: it ends", executor.ExecutorId, executor.FrameworkId);
        Gc.Schedule([.. ExecutorDirectories(agentId, executor.FrameworkId, executor.ExecutorId)]);
        if (DefaultExecutorExited is { } exited)
        {
            _ = Task.Run(() => exited(agentId, executor.FrameworkId, executor.ExecutorId));
        }
    }

    private void RunGroupOnCustomExecutor(FrameworkInfo frameworkInfo, MasterToAgent.Types.RunTaskGroup run)
    {
        string agentId;
        lock (_gate)
        {
            if (_agentId is not { } id)
            {
                _log.LogWarning("Ignoring run_task_group for executor {ExecutorId}: the agent is not registered", run.Executor.ExecutorId);
                return;
            }

            agentId = id;
        }

        var agentInfo = new AgentInfo { Hostname = Hostname, Port = HttpPort, Id = agentId };
        agentInfo.Resources.AddRange(WireForm.Of(_options.Resources));
        Executors.RunGroup(agentId, agentInfo, AgentEndpoint(), frameworkInfo, run.Executor, run.Tasks, _stopping.Token);
    }
}
