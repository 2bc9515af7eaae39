using Mesos.Agent.Configuration;
using Mesos.Agent.Containerizer;
using Mesos.Agent.State;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.ExecutorApi;

/// <summary>
/// The custom executors of this agent, by framework and executor id: the first task for an executor starts it,
/// later ones join it. Kept apart from the command executors (one task each, inside the agent).
/// </summary>
internal sealed class CustomExecutors(
    AgentOptions options,
    IContainerizer containerizer,
    TimeProvider time,
    ILoggerFactory loggers,
    Action<TaskStatus> forward,
    TerminalTaskCounters counters)
{
    private readonly ILogger _log = loggers.CreateLogger("Mesos.Agent.CustomExecutor");
    private readonly Lock _gate = new();
    private readonly Dictionary<(string FrameworkId, string ExecutorId), CustomExecutor> _executors = [];
    private readonly List<Task> _runs = [];

    /// <summary>Told when an executor ended (Mesos' ExitedExecutorMessage to the master).</summary>
    public Action<CustomExecutor, int?>? Exited { get; set; }

    /// <summary>Told of each MESSAGE an executor sends its framework (Mesos' ExecutorToFrameworkMessage to the master).</summary>
    public Action<CustomExecutor, Google.Protobuf.ByteString>? MessageToFramework { get; set; }

    public CustomExecutor? Find(string frameworkId, string executorId)
    {
        lock (_gate)
        {
            return _executors.GetValueOrDefault((frameworkId, executorId));
        }
    }

    public IReadOnlyList<CustomExecutor> All()
    {
        lock (_gate)
        {
            return _executors.Values.ToList();
        }
    }

    /// <summary>A task with an ExecutorInfo: starts its executor unless it already runs, then gives it the task.</summary>
    public void Run(string agentId, AgentInfo agentInfo, string agentEndpoint, FrameworkInfo framework, TaskInfo task, CancellationToken stopping) =>
        Start(agentId, agentInfo, agentEndpoint, framework, task.Executor, [task], stopping, e => e.AddTask(task));

    /// <summary>A task group for a custom executor: starts it unless it already runs, then gives it the group (LAUNCH_GROUP).</summary>
    public void RunGroup(string agentId, AgentInfo agentInfo, string agentEndpoint, FrameworkInfo framework, ExecutorInfo executorInfo, IReadOnlyList<TaskInfo> tasks, CancellationToken stopping)
    {
        var group = tasks.Select(t =>
        {
            // As Mesos' master does: each task of the group carries the group's ExecutorInfo.
            var withExecutor = t.Clone();
            withExecutor.Executor = executorInfo;
            return withExecutor;
        }).ToList();
        Start(agentId, agentInfo, agentEndpoint, framework, executorInfo, group, stopping, e => e.AddGroup(group));
    }

    private void Start(
        string agentId, AgentInfo agentInfo, string agentEndpoint, FrameworkInfo framework, ExecutorInfo executorInfo, IReadOnlyList<TaskInfo> tasks,
        CancellationToken stopping, Action<CustomExecutor> add)
    {
        CustomExecutor? started = null;
        CustomExecutor executor;
        var task = tasks[0];
        lock (_gate)
        {
            var key = (framework.Id, executorInfo.ExecutorId);
            if (!_executors.TryGetValue(key, out var existing) || existing.Phase == ExecutorPhase.Terminated)
            {
                var info = executorInfo.Clone();
                info.FrameworkId = framework.Id;
                existing = new CustomExecutor(options, agentId, agentInfo, framework, info, containerizer, time, _log, forward, OnEnded, agentEndpoint, counters);
                _executors[key] = existing;
                started = existing;
            }

            executor = existing;
        }

        add(executor);
        if (started is not null)
        {
            _log.LogInformation("Starting executor {ExecutorId} of framework {FrameworkId} for task {TaskId} in {Sandbox}",
                started.ExecutorId, started.FrameworkId, task.TaskId, started.Directory);
            var run = Task.Run(() => started.RunAsync(stopping), CancellationToken.None);
            lock (_gate)
            {
                _runs.RemoveAll(r => r.IsCompleted);
                _runs.Add(run);
            }
        }
    }

    /// <summary>Whether the task belongs to a custom executor here (then the executor, not the agent, kills it).</summary>
    public bool TryKill(string frameworkId, string taskId, KillPolicy? policy)
    {
        var executor = All().FirstOrDefault(e => e.FrameworkId == frameworkId && e.HasTask(taskId));
        executor?.Kill(taskId, policy);
        return executor is not null;
    }

    /// <summary>Tasks of custom executors here that have not ended.</summary>
    public int LiveTaskCount => All().Sum(e => e.LiveTasks().Count);

    /// <summary>The agent drains: every live task of every custom executor is killed with the policy <paramref name="bound"/> gives it.</summary>
    public void KillAll(Func<KillPolicy?, KillPolicy?> bound)
    {
        foreach (var executor in All())
        {
            foreach (var task in executor.LiveTasks())
            {
                executor.Kill(task.TaskId, bound(task.KillPolicy));
            }
        }
    }

    /// <summary>The frameworks with custom executors here.</summary>
    public IReadOnlyList<string> FrameworkIds => All().Select(e => e.FrameworkId).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The framework is gone: each of its executors gets SHUTDOWN and is killed after its grace period.</summary>
    public int ShutdownFramework(string frameworkId)
    {
        var executors = All().Where(e => e.FrameworkId == frameworkId).ToList();
        foreach (var executor in executors)
        {
            executor.Shutdown(frameworkRemoved: true);
        }

        return executors.Count;
    }

    public async Task StopAsync(TimeSpan gracePeriod)
    {
        var executors = All();
        await Task.WhenAll(executors.Select(e => e.DestroyAsync(gracePeriod))).ConfigureAwait(false);
        Task[] runs;
        lock (_gate)
        {
            runs = _runs.ToArray();
        }

        try
        {
            await Task.WhenAll(runs).WaitAsync(gracePeriod + TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.LogWarning("Some executors did not end while the agent stopped");
        }
    }

    private void OnEnded(CustomExecutor executor, ContainerExit? exit)
    {
        lock (_gate)
        {
            if (_executors.GetValueOrDefault((executor.FrameworkId, executor.ExecutorId)) == executor)
            {
                _executors.Remove((executor.FrameworkId, executor.ExecutorId));
            }
        }

        Exited?.Invoke(executor, exit?.Status ?? (exit?.Signal is { } signal ? 128 + signal : null));
    }
}
