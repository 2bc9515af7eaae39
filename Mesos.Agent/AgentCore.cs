using Mesos.Agent.Configuration;
using Mesos.Agent.Containerizer;
using Mesos.Agent.Executor;
using Mesos.Agent.ExecutorApi;
using Mesos.Agent.GarbageCollection;
using Mesos.Agent.Recovery;
using Mesos.Agent.Registration;
using Mesos.Agent.State;
using Mesos.Agent.StatusUpdates;
using Mesos.Agent.Volumes;
using Mesos.Protocol.Mapping;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent;

/// <summary>
/// The agent's own state and reactions: which frameworks, executors and tasks it has, what the master asks
/// of it, and what becomes of each executor update. Executors and the master link call in from their own
/// threads, so everything here is under one lock; executors and the update manager are only ever called
/// outside it (they call back in, and holding it across them could deadlock).
/// </summary>
internal sealed partial class AgentCore : IMasterLinkHandler
{
    public const string Version = "1.11.0";
    private const int MaxCompletedFrameworks = 50;

    private readonly AgentOptions _options;
    private readonly IContainerizer _containerizer;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FrameworkEntry> _frameworks = new(StringComparer.Ordinal);
    private readonly List<FrameworkEntry> _completedFrameworks = [];
    private readonly Dictionary<(string FrameworkId, string TaskId), ExecutorEntry> _tasks = [];
    private readonly TaskCompletionSource<string> _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();

    private StatusUpdateManager? _updates;
    private string? _agentId;
    private string? _master;
    private IReadOnlyList<Resource> _checkpointed = [];
    private bool _stopped;

    // The master's drain (Mesos' DrainSlaveMessage) until every task here has ended and been acknowledged.
    private MasterToAgent.Types.Drain? _drain;

    public AgentCore(AgentOptions options, string hostname, IContainerizer containerizer, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        Hostname = hostname;
        _containerizer = containerizer;
        _time = time;
        _loggers = loggers;
        _log = loggers.CreateLogger("Mesos.Agent");
        _agentId = AgentIdStore.Load(options.WorkDir);
        Gc = new SandboxGarbageCollector(options.WorkDir, options.GcDelay, options.GcDiskHeadroom, options.DiskWatchInterval,
            options.DiskUsage ?? new FileSystemDiskUsage(), time, loggers.CreateLogger("Mesos.Agent.GarbageCollector"));
        Executors = new CustomExecutors(options, containerizer, time, loggers, ForwardExecutorUpdate, TaskCounters);
    }

    /// <summary>Mesos' counters of tasks that ended on this agent since it started, whichever executor ran them.</summary>
    public TerminalTaskCounters TaskCounters { get; } = new();

    /// <summary>The custom executors (tasks with an ExecutorInfo), which talk to the agent over /api/v1/executor.</summary>
    public CustomExecutors Executors { get; }

    /// <summary>Whether the framework has anything on this agent (Mesos' "Framework cannot be found" otherwise).</summary>
    public bool HasFramework(string frameworkId)
    {
        lock (_gate)
        {
            if (_frameworks.ContainsKey(frameworkId))
            {
                return true;
            }
        }

        return Executors.All().Any(e => e.FrameworkId == frameworkId);
    }

    /// <summary>
    /// A custom executor's update (or the agent's on its behalf) joins the task's stream in the status update manager,
    /// which sends it to the master until the framework acknowledges it.
    /// </summary>
    private void ForwardExecutorUpdate(TaskStatus status)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
        }

        MarkDraining(status);
        _log.LogInformation("Task {TaskId} of framework {FrameworkId} is {State}{Message}",
            status.TaskId, status.FrameworkId, status.State, status.Message.Length > 0 ? ": " + status.Message : string.Empty);
        _updates?.Enqueue(status);
    }

    /// <summary>Removes finished executors' sandboxes and meta directories (Mesos' <c>--gc_delay</c>).</summary>
    public SandboxGarbageCollector Gc { get; }

    public string Hostname { get; }

    /// <summary>The bound HTTP port, advertised to the master; set once the HTTP server listens.</summary>
    public int HttpPort { get; set; }

    public string? AgentId
    {
        get
        {
            lock (_gate)
            {
                return _agentId;
            }
        }
    }

    public string? Master
    {
        get
        {
            lock (_gate)
            {
                return _master;
            }
        }
    }

    public Task<string> Registered => _registered.Task;

    public AgentOptions Options => _options;

    /// <summary>The master's last CheckpointResourcesMessage: dynamic reservations and persistent volumes (empty before one).</summary>
    public IReadOnlyList<Resource> CheckpointedResources
    {
        get
        {
            lock (_gate)
            {
                return _checkpointed;
            }
        }
    }

    public void UseStatusUpdates(StatusUpdateManager updates) => _updates = updates;

    public AttachRequest CreateAttachRequest()
    {
        var info = new AgentInfo { Hostname = Hostname, Port = HttpPort };
        info.Resources.AddRange(WireForm.Of(_options.Resources));
        info.Attributes.AddRange(WireForm.Of(_options.Attributes));
        lock (_gate)
        {
            var request = new AttachRequest { AgentInfo = info, AgentId = _agentId ?? string.Empty, Version = Version };
            info.Id = request.AgentId;
            foreach (var entry in _tasks.Values)
            {
                request.RunningTasks.Add(new RunningTask { FrameworkId = entry.FrameworkId, TaskId = entry.Task.Info.TaskId, State = entry.Task.LatestState });
            }

            return request;
        }
    }

    public void OnRegistered(MasterToAgent.Types.Registered registered, string master)
    {
        string? previous;
        lock (_gate)
        {
            previous = _agentId;
            _agentId = registered.AgentId;
            _master = master;
        }

        if (previous != registered.AgentId)
        {
            AgentIdStore.Save(_options.WorkDir, registered.AgentId);
        }

        _log.LogInformation("{How} with master {Master} as agent {AgentId} (heartbeat every {Interval}s)",
            registered.Reregistered ? "Re-registered" : "Registered", master, registered.AgentId, registered.HeartbeatIntervalSeconds);
        CheckpointResources(new MasterToAgent.Types.CheckpointResources { Resources = { registered.CheckpointedResources } });
        _registered.TrySetResult(registered.AgentId);
        _updates?.RetryNow();
    }

    public void OnDisconnected(string master)
    {
        lock (_gate)
        {
            _master = null;
        }

        _log.LogWarning("Disconnected from master {Master}", master);
    }

    public void OnMessage(MasterToAgent message)
    {
        switch (message.MessageCase)
        {
            case MasterToAgent.MessageOneofCase.RunTask:
                RunTask(message.RunTask);
                break;
            case MasterToAgent.MessageOneofCase.RunTaskGroup:
                RunTaskGroup(message.RunTaskGroup);
                break;
            case MasterToAgent.MessageOneofCase.KillTask:
                KillTask(message.KillTask);
                break;
            case MasterToAgent.MessageOneofCase.StatusAcknowledged:
                Acknowledge(message.StatusAcknowledged);
                break;
            case MasterToAgent.MessageOneofCase.ShutdownFramework:
                ShutdownFramework(message.ShutdownFramework.FrameworkId);
                break;
            case MasterToAgent.MessageOneofCase.FrameworkMessage:
                MessageExecutor(message.FrameworkMessage);
                break;
            case MasterToAgent.MessageOneofCase.ShutdownExecutor:
                ShutdownExecutor(message.ShutdownExecutor);
                break;
            case MasterToAgent.MessageOneofCase.UpdateFramework:
                UpdateFramework(message.UpdateFramework.FrameworkInfo);
                break;
            case MasterToAgent.MessageOneofCase.Shutdown:
                ShutdownAll();
                break;
            case MasterToAgent.MessageOneofCase.CheckpointResources:
                CheckpointResources(message.CheckpointResources);
                break;
            case MasterToAgent.MessageOneofCase.Drain:
                Drain(message.Drain);
                break;
            case MasterToAgent.MessageOneofCase.Registered:
                _log.LogWarning("Ignoring a second registered message from the master");
                break;
            default:
                _log.LogWarning("Ignoring unknown message {Message} from the master", message.MessageCase);
                break;
        }
    }

    /// <summary>Mesos' CheckpointResourcesMessage: volumes named are made, volumes no longer named are removed with their data.</summary>
    private void CheckpointResources(MasterToAgent.Types.CheckpointResources checkpoint)
    {
        lock (_gate)
        {
            _checkpointed = [.. checkpoint.Resources];
        }

        try
        {
            foreach (var removed in PersistentVolumes.Sync(_options.WorkDir, checkpoint.Resources))
            {
                _log.LogInformation("Deleted persistent volume at {Path}", removed);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _log.LogError("Cannot bring persistent volumes in step with the master's checkpointed resources: {Message}", e.Message);
        }
    }

    /// <summary>Mesos' UpdateFrameworkMessage: a framework this agent runs tasks of is now described by <paramref name="info"/>.</summary>
    private void UpdateFramework(FrameworkInfo? info)
    {
        if (info is null || info.Id.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_frameworks.TryGetValue(info.Id, out var framework))
            {
                framework.Info = info;
            }
        }
    }

    /// <summary>Mesos' FrameworkToExecutorMessage: best effort, dropped (and logged) when the executor is not here.</summary>
    private void MessageExecutor(MasterToAgent.Types.FrameworkMessage message)
    {
        if (Executors.Find(message.FrameworkId, message.ExecutorId) is { } executor)
        {
            executor.Message(message.Data);
            return;
        }

        _log.LogWarning("Dropping a message for executor {ExecutorId} of framework {FrameworkId}: no such executor here",
            message.ExecutorId, message.FrameworkId);
    }

    /// <summary>The framework's SHUTDOWN of one executor: SHUTDOWN to it, destroyed after its grace period.</summary>
    private void ShutdownExecutor(MasterToAgent.Types.ShutdownExecutor shutdown)
    {
        if (ShutdownDefaultExecutor(shutdown.FrameworkId, shutdown.ExecutorId))
        {
            return;
        }

        if (Executors.Find(shutdown.FrameworkId, shutdown.ExecutorId) is { } executor)
        {
            executor.Shutdown(frameworkRemoved: false);
            return;
        }

        _log.LogWarning("Cannot shut down executor {ExecutorId} of framework {FrameworkId}: no such executor here",
            shutdown.ExecutorId, shutdown.FrameworkId);
    }

    private void Acknowledge(MasterToAgent.Types.StatusAcknowledged ack)
    {
        TaskCheckpoint? checkpoint;
        lock (_gate)
        {
            checkpoint = _tasks.TryGetValue((ack.FrameworkId, ack.TaskId), out var entry) ? entry.Checkpoint : null;
        }

        if (_updates?.Acknowledge(ack.FrameworkId, ack.TaskId, ack.Uuid) != AcknowledgeOutcome.Acknowledged || checkpoint is null)
        {
            // Ignored, or the stream closed and the whole run's checkpoint goes (OnStreamClosed).
            return;
        }

        try
        {
            checkpoint.AppendAcknowledgement(ack.Uuid);
        }
        catch (IOException e)
        {
            // Not fatal: a restarted agent resends the update and the master acknowledges it again.
            _log.LogWarning("Cannot checkpoint the acknowledgement for task {TaskId}: {Message}", ack.TaskId, e.Message);
        }
    }

    public void RunTask(MasterToAgent.Types.RunTask run)
    {
        var frameworkInfo = run.FrameworkInfo ?? new FrameworkInfo();
        var task = run.Task;
        if (task is null || task.TaskId.Length == 0 || frameworkInfo.Id.Length == 0)
        {
            _log.LogWarning("Ignoring run_task without a task id or framework id");
            return;
        }

        if (task.Executor is not null)
        {
            RunOnExecutor(frameworkInfo, task);
            return;
        }

        var executorId = run.ExecutorId.Length > 0 ? run.ExecutorId : task.TaskId;
        ExecutorEntry entry;
        lock (_gate)
        {
            if (_agentId is not { } agentId)
            {
                _log.LogWarning("Ignoring run_task for task {TaskId}: the agent is not registered", task.TaskId);
                return;
            }

            if (_tasks.ContainsKey((frameworkInfo.Id, task.TaskId)))
            {
                _log.LogWarning("Ignoring run_task for task {TaskId} of framework {FrameworkId}: it is already known", task.TaskId, frameworkInfo.Id);
                return;
            }

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

            var launch = new TaskLaunch(agentId, frameworkInfo, task, executorId, _options.WorkDir, AgentEndpoint());
            var taskEntry = new TaskEntry(task, frameworkInfo.Id, executorId);
            foreach (var directory in ExecutorDirectories(agentId, frameworkInfo.Id, executorId))
            {
                // A task id used again runs in the same executor directory, which must not go from under it.
                Gc.Unschedule(directory);
            }

            var containerId = Guid.NewGuid().ToString();
            var checkpoint = CheckpointLaunch(agentId, frameworkInfo, task, executorId, containerId);
            ExecutorEntry? created = null;
            var executor = new CommandExecutor(launch, _containerizer, status => OnExecutorStatus(created!, status), _time,
                _loggers.CreateLogger("Mesos.Agent.Executor"), _options.DefaultKillGracePeriod, containerId, checkpoint)
            {
                SwitchUser = _options.SwitchUser,
            };
            created = new ExecutorEntry(executor, taskEntry, checkpoint);
            entry = created;
            framework.Executors[executorId] = entry;
            _tasks[(frameworkInfo.Id, task.TaskId)] = entry;
        }

        _log.LogInformation("Launching task {TaskId} of framework {FrameworkId} in {Sandbox}", task.TaskId, frameworkInfo.Id, entry.Executor.Directory);
        entry.Run = Task.Run(() => entry.Executor.RunAsync(_stopping.Token));
    }

    private void RunOnExecutor(FrameworkInfo frameworkInfo, TaskInfo task)
    {
        string agentId;
        lock (_gate)
        {
            if (_agentId is not { } id)
            {
                _log.LogWarning("Ignoring run_task for task {TaskId}: the agent is not registered", task.TaskId);
                return;
            }

            agentId = id;
        }

        var agentInfo = new AgentInfo { Hostname = Hostname, Port = HttpPort, Id = agentId };
        agentInfo.Resources.AddRange(WireForm.Of(_options.Resources));
        Executors.Run(agentId, agentInfo, AgentEndpoint(), frameworkInfo, task, _stopping.Token);
    }

    private TaskCheckpoint? CheckpointLaunch(string agentId, FrameworkInfo framework, TaskInfo task, string executorId, string containerId)
    {
        try
        {
            var checkpoint = new TaskCheckpoint(_options.WorkDir, agentId, framework.Id, executorId, containerId, task.TaskId);
            checkpoint.WriteLaunch(framework, task);
            return checkpoint;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The executor reports a bad id itself; a full disk should not stop the task, only its recovery.
            _log.LogWarning("Cannot checkpoint task {TaskId} of framework {FrameworkId}: {Message}; it will not survive an agent restart",
                task.TaskId, framework.Id, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Takes over the tasks a previous run of the agent checkpointed, before the agent attaches to a master: their
    /// unacknowledged updates are queued again in their order, then each task is followed (still running) or
    /// reported (ended meanwhile). Returns how many tasks were recovered.
    /// </summary>
    public int Recover(IReadOnlyList<RecoveredTask> recovered)
    {
        var runs = new List<(ExecutorEntry Entry, RecoveredTask Task, IContainer? Container, ContainerExit? Exit)>();
        lock (_gate)
        {
            if (_agentId is not { } agentId)
            {
                return 0;
            }

            foreach (var task in recovered)
            {
                if (task.Unacknowledged.Count == 0 && CommandExecutor.IsTerminal(task.LatestState))
                {
                    // Fully acknowledged; the agent died before it forgot the run. Its directories still go after --gc_delay.
                    task.Checkpoint.Remove();
                    Gc.Schedule([.. ExecutorDirectories(agentId, task.Framework.Id, task.ExecutorId)]);
                    continue;
                }

                if (!_frameworks.TryGetValue(task.Framework.Id, out var framework))
                {
                    framework = new FrameworkEntry(task.Framework);
                    _frameworks[task.Framework.Id] = framework;
                }

                ExecutorEntry? created = null;
                if (task.TaskGroup is { } group)
                {
                    created = RecoverGroupTaskLocked(agentId, framework, task, group.Executor, group.ContainerId, group.Group);
                }
                else
                {
                    var launch = new TaskLaunch(agentId, task.Framework, task.Task, task.ExecutorId, _options.WorkDir, AgentEndpoint());
                    var taskEntry = new TaskEntry(task.Task, task.Framework.Id, task.ExecutorId) { LatestState = task.LatestState };
                    taskEntry.Statuses.AddRange(task.Updates);
                    var executor = new CommandExecutor(launch, _containerizer, status => OnExecutorStatus(created!, status), _time,
                        _loggers.CreateLogger("Mesos.Agent.Executor"), _options.DefaultKillGracePeriod, task.ContainerId, task.Checkpoint);
                    created = new ExecutorEntry(executor, taskEntry, task.Checkpoint);
                    framework.Executors[task.ExecutorId] = created;
                    _tasks[(task.Framework.Id, task.Task.TaskId)] = created;
                }

                IContainer? container = task is { Pid: { } pid, StartTime: { } started } && ProcessTable.IsAlive(pid, started)
                    ? new RecoveredContainer(task.ContainerId, pid, started, task.Checkpoint.ExitStatusPath)
                    : null;
                if (container is not null && _containerizer is CgroupsContainerizer cgroups)
                {
                    container = cgroups.Reattach(container);
                }
                var exit = container is null ? RecoveredContainer.ReadExitStatus(task.Checkpoint.ExitStatusPath) : null;
                runs.Add((created, task, container, exit));
            }
        }

        foreach (var (entry, task, container, exit) in runs)
        {
            foreach (var update in task.Unacknowledged)
            {
                _updates?.Enqueue(update);
            }

            _log.LogInformation("Recovered task {TaskId} of framework {FrameworkId} ({State}, {Pending} update(s) to resend, {How})",
                task.Task.TaskId, task.Framework.Id, task.LatestState, task.Unacknowledged.Count,
                container is not null ? "still running as process group " + container.ProcessGroupId : "not running");
            entry.Run = Task.Run(async () =>
            {
                var ended = exit;
                if (container is null && _containerizer is CgroupsContainerizer cgroups)
                {
                    ended = await cgroups.CleanupEndedAsync(task.ContainerId, exit).ConfigureAwait(false);
                }

                await entry.Executor.RecoverAsync(task.LatestState, container, ended).ConfigureAwait(false);
            });
        }

        return runs.Count;
    }

    private void KillTask(MasterToAgent.Types.KillTask kill)
    {
        if (Executors.TryKill(kill.FrameworkId, kill.TaskId, kill.KillPolicy))
        {
            return;
        }

        ExecutorEntry? entry;
        TaskStatus? lost = null;
        lock (_gate)
        {
            _tasks.TryGetValue((kill.FrameworkId, kill.TaskId), out entry);
            if (entry is null)
            {
                if (!_frameworks.TryGetValue(kill.FrameworkId, out var framework))
                {
                    _log.LogWarning("Ignoring kill of task {TaskId}: framework {FrameworkId} has nothing on this agent", kill.TaskId, kill.FrameworkId);
                    return;
                }

                if (framework.CompletedExecutors.Any(e => e.Task.Info.TaskId == kill.TaskId))
                {
                    _log.LogInformation("Ignoring kill of task {TaskId} of framework {FrameworkId}: it already ended", kill.TaskId, kill.FrameworkId);
                    return;
                }

                // As Mesos: a task this agent never launched is reported gone, so the master stops waiting for it.
                var partitionAware = framework.Info.Capabilities.Contains(FrameworkInfo.Types.Capability.PartitionAware);
                lost = AgentStatus(kill.FrameworkId, kill.TaskId, string.Empty,
                    partitionAware ? TaskState.TaskDropped : TaskState.TaskLost,
                    "Cannot find executor", TaskStatus.Types.Reason.ExecutorTerminated);
            }
        }

        if (lost is not null)
        {
            _log.LogWarning("Kill of unknown task {TaskId} of framework {FrameworkId}: reporting {State}", kill.TaskId, kill.FrameworkId, lost.State);
            _updates?.Enqueue(lost);
            return;
        }

        entry!.Executor.Kill(kill.KillPolicy);
        if (entry.DefaultExecutor is not null)
        {
            // As Mesos' default executor: killing one task of a group kills the whole group.
            KillGroupOf(entry, "Killing the task group: task " + kill.TaskId + " was killed");
        }
    }

    /// <summary>Whether the master asked this agent to drain and some task here has not ended and been acknowledged yet.</summary>
    public bool Draining
    {
        get
        {
            lock (_gate)
            {
                return _drain is not null;
            }
        }
    }

    /// <summary>
    /// Mesos' <c>Slave::drain</c>: every task is killed, each within the drain's max grace period when it has one
    /// (the task's own kill policy when that is shorter), and the kills are reported with REASON_AGENT_DRAINING.
    /// </summary>
    private void Drain(MasterToAgent.Types.Drain drain)
    {
        List<ExecutorEntry> running;
        lock (_gate)
        {
            _drain = drain;
            running = _frameworks.Values.SelectMany(f => f.Executors.Values).Where(e => !CommandExecutor.IsTerminal(e.Task.LatestState)).ToList();
        }

        long? max = drain.HasMaxGracePeriodNanoseconds ? Math.Max(0, drain.MaxGracePeriodNanoseconds) : null;
        _log.LogInformation("Draining: killing {Count} task(s){Grace}", running.Count + Executors.LiveTaskCount,
            max is { } m ? $" within {TimeSpan.FromTicks(m / 100).TotalSeconds:0.###}s each" : string.Empty);
        foreach (var entry in running)
        {
            entry.Executor.Kill(DrainKillPolicy(entry.Task.Info.KillPolicy, max));
        }

        Executors.KillAll(policy => DrainKillPolicy(policy, max));
        ClearDrainIfEmpty();
    }

    /// <summary>The task's kill policy, bounded by the drain's max grace period (Mesos' rule: the shorter of the two).</summary>
    internal static KillPolicy? DrainKillPolicy(KillPolicy? task, long? maxGracePeriodNanoseconds) =>
        maxGracePeriodNanoseconds is not { } max || (task is { HasGracePeriodNanoseconds: true } && task.GracePeriodNanoseconds <= max)
            ? task
            : new KillPolicy { GracePeriodNanoseconds = max };

    /// <summary>As Mesos' agent, the drain ends here once nothing runs and every update was acknowledged.</summary>
    private void ClearDrainIfEmpty()
    {
        if (Executors.LiveTaskCount > 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_drain is not null && _tasks.Count == 0)
            {
                _drain = null;
                _log.LogInformation("Drained: no task left on this agent");
            }
        }
    }

    /// <summary>A kill or kill-to-be while draining is reported with Mesos' REASON_AGENT_DRAINING.</summary>
    private void MarkDraining(TaskStatus status)
    {
        if (status.State is TaskState.TaskKilling or TaskState.TaskKilled && Draining)
        {
            status.Reason = TaskStatus.Types.Reason.AgentDraining;
        }
    }

    /// <summary>The master's shutdown: every framework's tasks and executors are killed.</summary>
    private void ShutdownAll()
    {
        List<string> frameworkIds;
        lock (_gate)
        {
            frameworkIds = _frameworks.Keys.ToList();
        }

        foreach (var frameworkId in frameworkIds.Concat(Executors.FrameworkIds).Distinct(StringComparer.Ordinal))
        {
            ShutdownFramework(frameworkId);
        }
    }

    private void ShutdownFramework(string frameworkId)
    {
        if (Executors.ShutdownFramework(frameworkId) > 0)
        {
            _updates?.Forget(frameworkId);
        }

        List<ExecutorEntry> executors;
        lock (_gate)
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                _log.LogInformation("Ignoring shutdown of framework {FrameworkId}: nothing of it runs here", frameworkId);
                return;
            }

            framework.ShuttingDown = true;
            _updates?.Forget(frameworkId);
            executors = framework.Executors.Values.ToList();
            foreach (var done in executors.Where(e => CommandExecutor.IsTerminal(e.Task.LatestState)))
            {
                done.Checkpoint?.Remove();
                CompleteTaskLocked(done);
            }

            CompleteFrameworkIfIdleLocked(framework);
        }

        _log.LogInformation("Shutting down framework {FrameworkId}: killing {Count} task(s)", frameworkId, executors.Count);
        var grace = new KillPolicy { GracePeriodNanoseconds = _options.ExecutorShutdownGracePeriod.Ticks * 100 };
        foreach (var executor in executors)
        {
            executor.Executor.Kill(ShorterOf(executor.Task.Info.KillPolicy, grace));
        }
    }

    /// <summary>The updates' stream for a task ended (terminal update acknowledged or rejected): the task is done.</summary>
    public void OnStreamClosed(TaskStatus terminal)
    {
        lock (_gate)
        {
            if (_tasks.TryGetValue((terminal.FrameworkId, terminal.TaskId), out var entry))
            {
                entry.Checkpoint?.Remove();
                CompleteTaskLocked(entry);
                if (_frameworks.TryGetValue(terminal.FrameworkId, out var framework))
                {
                    CompleteFrameworkIfIdleLocked(framework);
                }
            }
        }

        ClearDrainIfEmpty();
    }

    private void OnExecutorStatus(ExecutorEntry entry, TaskStatus status)
    {
        bool forward;
        lock (_gate)
        {
            if (_stopped)
            {
                // The agent is gone; the next one learns how the task ended from its supervisor's record.
                return;
            }

            TaskCounters.Moved(entry.Task.LatestState, status.State);
            entry.Task.LatestState = status.State;
            entry.Task.Statuses.Add(status);
            forward = !(_frameworks.TryGetValue(entry.FrameworkId, out var framework) && framework.ShuttingDown);
            if (!forward && CommandExecutor.IsTerminal(status.State))
            {
                entry.Checkpoint?.Remove();
                CompleteTaskLocked(entry);
                CompleteFrameworkIfIdleLocked(framework!);
            }
        }

        _log.LogInformation("Task {TaskId} of framework {FrameworkId} is {State}{Message}",
            status.TaskId, status.FrameworkId, status.State, status.Message.Length > 0 ? ": " + status.Message : string.Empty);
        if (forward)
        {
            MarkDraining(status);
            CheckpointUpdate(entry, status);
            _updates?.Enqueue(status);
        }

        if (entry.DefaultExecutor is not null && status.State is TaskState.TaskFailed or TaskState.TaskKilled or TaskState.TaskLost or TaskState.TaskError)
        {
            // As Mesos' default executor: a task of a group that fails or is killed takes the rest of its group with it.
            KillGroupOf(entry, $"Killing the task group: task {status.TaskId} is {Http.ProtoEnumNames.Of(status.State)}");
        }
    }

    /// <summary>Durable before it is sent, so an update the master may have seen is never forgotten by a restart.</summary>
    private void CheckpointUpdate(ExecutorEntry entry, TaskStatus status)
    {
        try
        {
            entry.Checkpoint?.AppendUpdate(status);
        }
        catch (IOException e)
        {
            _log.LogWarning("Cannot checkpoint update {State} of task {TaskId}: {Message}", status.State, status.TaskId, e.Message);
        }
    }

    private void CompleteTaskLocked(ExecutorEntry entry)
    {
        if (!_tasks.Remove((entry.FrameworkId, entry.Task.Info.TaskId)))
        {
            return;
        }

        if (_agentId is { } agentId && entry.DefaultExecutor is null)
        {
            // As Mesos: the finished executor's sandbox and meta directories go after --gc_delay, sooner when disk is short.
            Gc.Schedule([.. ExecutorDirectories(agentId, entry.FrameworkId, entry.ExecutorId)]);
        }

        if (entry.DefaultExecutor is { } run)
        {
            CompleteGroupTaskLocked(run, entry);
        }

        if (_frameworks.TryGetValue(entry.FrameworkId, out var framework) && framework.Executors.Remove(entry.Key))
        {
            framework.CompletedExecutors.Add(entry);
            if (framework.CompletedExecutors.Count > FrameworkEntry.MaxCompletedExecutors)
            {
                framework.CompletedExecutors.RemoveAt(0);
            }
        }
    }

    /// <summary>The executor's sandbox directory (all its runs) and its meta directory; none for ids that are not path segments.</summary>
    private List<string> ExecutorDirectories(string agentId, string frameworkId, string executorId)
    {
        try
        {
            return
            [
                SandboxLayout.ExecutorDirectory(_options.WorkDir, agentId, frameworkId, executorId),
                Path.Combine(TaskCheckpoint.AgentDirectory(_options.WorkDir, agentId), "frameworks", frameworkId, "executors", executorId),
            ];
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    private void CompleteFrameworkIfIdleLocked(FrameworkEntry framework)
    {
        if (framework.Executors.Count > 0 || !_frameworks.Remove(framework.Id))
        {
            return;
        }

        _completedFrameworks.Add(framework);
        if (_completedFrameworks.Count > MaxCompletedFrameworks)
        {
            _completedFrameworks.RemoveAt(0);
        }
    }

    private TaskStatus AgentStatus(string frameworkId, string taskId, string executorId, TaskState state, string message, TaskStatus.Types.Reason reason) =>
        AgentStatuses.Create(_time, frameworkId, taskId, executorId, _agentId ?? string.Empty, state, message, reason);

    private string AgentEndpoint() => $"{_options.Ip ?? "127.0.0.1"}:{HttpPort}";

    private static KillPolicy ShorterOf(KillPolicy? task, KillPolicy bound) =>
        task is { HasGracePeriodNanoseconds: true } && task.GracePeriodNanoseconds < bound.GracePeriodNanoseconds ? task : bound;

    /// <summary>
    /// Kills every task and waits for them to end, or, with <see cref="AgentOptions.KillTasksOnStop"/> off, leaves
    /// them running for the next run of the agent to recover.
    /// </summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        List<ExecutorEntry> running;
        lock (_gate)
        {
            running = _frameworks.Values.SelectMany(f => f.Executors.Values).ToList();
            if (!_options.KillTasksOnStop)
            {
                _stopped = true;
                running.Clear();
            }
        }

        if (_options.KillTasksOnStop)
        {
            await Executors.StopAsync(gracePeriod).ConfigureAwait(false);
        }

        var policy = new KillPolicy { GracePeriodNanoseconds = gracePeriod.Ticks * 100 };
        foreach (var entry in running)
        {
            entry.Executor.Kill(policy);
        }

        var runs = running.Select(e => e.Run).OfType<Task>().ToArray();
        try
        {
            await Task.WhenAll(runs).WaitAsync(gracePeriod + TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            _log.LogWarning("Some tasks did not end while the agent stopped");
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="read"/> under the agent's lock, for building read views such as /state.</summary>
    public T Read<T>(Func<AgentSnapshot, T> read)
    {
        lock (_gate)
        {
            return read(new AgentSnapshot(_agentId, _master, _frameworks.Values.ToList(), _completedFrameworks.ToList()));
        }
    }
}
