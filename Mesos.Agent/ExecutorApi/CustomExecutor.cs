using Google.Protobuf;
using Mesos.Agent.Configuration;
using Mesos.Agent.Containerizer;
using Mesos.Agent.Executor;
using Mesos.Agent.State;
using Mesos.Hosting.Flags;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;
using Wire = Mesos.Protocol.Wire;
using WireExecutor = Mesos.Protocol.Wire.Executor;

namespace Mesos.Agent.ExecutorApi;

/// <summary>
/// A custom executor (ExecutorInfo with a command) on this agent, as Mesos' agent runs one: its command starts in its
/// own sandbox and container with the executor environment, it must SUBSCRIBE to <c>/api/v1/executor</c> within
/// <c>--executor_registration_timeout</c>, then gets its queued tasks as LAUNCH events. Its updates go through the
/// agent's status update manager; when it ends, whatever it left unfinished fails with REASON_EXECUTOR_TERMINATED.
/// </summary>
internal sealed class CustomExecutor
{
    private readonly AgentOptions _options;
    private readonly IContainerizer _containerizer;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Action<TaskStatus> _forward;
    private readonly Action<CustomExecutor, ContainerExit?> _ended;
    private readonly Lock _gate = new();
    private readonly List<ExecutorTask> _tasks = [];
    private readonly TerminalTaskCounters _counters;

    private ExecutorPhase _phase = ExecutorPhase.Registering;
    private ExecutorConnection? _connection;
    private IContainer? _container;
    private ITimer? _registrationTimer;
    private ITimer? _shutdownTimer;
    private TaskStatus.Types.Reason? _terminationReason;
    private string? _terminationMessage;
    private bool _frameworkShuttingDown;
    private int _nextGroup;

    public CustomExecutor(
        AgentOptions options,
        string agentId,
        AgentInfo agentInfo,
        FrameworkInfo framework,
        ExecutorInfo info,
        IContainerizer containerizer,
        TimeProvider time,
        ILogger log,
        Action<TaskStatus> forward,
        Action<CustomExecutor, ContainerExit?> ended,
        string agentEndpoint,
        TerminalTaskCounters counters)
    {
        _options = options;
        _counters = counters;
        AgentId = agentId;
        AgentInfo = agentInfo;
        Framework = framework;
        Info = info;
        _containerizer = containerizer;
        _time = time;
        _log = log;
        _forward = forward;
        _ended = ended;
        AgentEndpoint = agentEndpoint;
        ContainerId = Guid.NewGuid().ToString();
        Directory = SandboxLayout.RunDirectory(options.WorkDir, agentId, framework.Id, info.ExecutorId, ContainerId);
    }

    public string AgentId { get; }

    public AgentInfo AgentInfo { get; }

    public FrameworkInfo Framework { get; }

    public ExecutorInfo Info { get; }

    public string FrameworkId => Framework.Id;

    public string ExecutorId => Info.ExecutorId;

    public string ContainerId { get; }

    public string AgentEndpoint { get; }

    /// <summary>The executor's sandbox (MESOS_DIRECTORY), holding its stdout and stderr.</summary>
    public string Directory { get; }

    public ExecutorPhase Phase
    {
        get
        {
            lock (_gate)
            {
                return _phase;
            }
        }
    }

    public TimeSpan ShutdownGracePeriod => Info.HasShutdownGracePeriodNanoseconds
        ? TimeSpan.FromTicks(Math.Max(0, Info.ShutdownGracePeriodNanoseconds) / 100)
        : _options.ExecutorShutdownGracePeriod;

    private IEnumerable<Resource> TasksResources()
    {
        lock (_gate)
        {
            return [.. _tasks.SelectMany(t => t.Info.Resources)];
        }
    }

    /// <summary>A task joining a running executor brings its volumes into the executor's sandbox (Mesos updates the container).</summary>
    private void LinkVolumes(TaskInfo task)
    {
        try
        {
            Volumes.PersistentVolumes.Link(_options.WorkDir, Directory, task.Resources);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _log.LogWarning("Cannot link the volumes of task {TaskId} into {Sandbox}: {Message}", task.TaskId, Directory, e.Message);
        }
    }

    /// <summary>The tasks given to this executor that have not ended.</summary>
    public IReadOnlyList<TaskInfo> LiveTasks()
    {
        lock (_gate)
        {
            return _tasks.Where(t => !t.Terminal).Select(t => t.Info).ToList();
        }
    }

    public bool HasTask(string taskId)
    {
        lock (_gate)
        {
            return _tasks.Any(t => t.TaskId == taskId);
        }
    }

    /// <summary>Its tasks as they stand, for the agent's read views (GET_TASKS, GET_EXECUTORS).</summary>
    public IReadOnlyList<(TaskInfo Info, bool Launched, TaskState? LatestState)> Tasks()
    {
        lock (_gate)
        {
            return _tasks.Select(t => (t.Info, t.Launched, t.LatestState)).ToList();
        }
    }

    /// <summary>Starts the executor's command and follows it to its end; returns once it ended and was cleaned up.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IContainer container;
        try
        {
            SandboxLayout.Create(Directory);
            Volumes.PersistentVolumes.Link(_options.WorkDir, Directory, Info.Resources.Concat(TasksResources()));
            container = await _containerizer.LaunchAsync(ContainerConfig(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or ContainerLaunchException)
        {
            _log.LogWarning("Executor {ExecutorId} of framework {FrameworkId} failed to launch: {Message}", ExecutorId, FrameworkId, e.Message);
            lock (_gate)
            {
                _terminationReason = TaskStatus.Types.Reason.ContainerLaunchFailed;
                _terminationMessage = "Failed to launch container: " + e.Message;
            }

            Ended(null);
            return;
        }

        bool destroyNow;
        lock (_gate)
        {
            _container = container;
            destroyNow = _phase == ExecutorPhase.Terminating && _connection is null;
            if (_phase == ExecutorPhase.Registering)
            {
                _registrationTimer = _time.CreateTimer(_ => RegistrationTimedOut(), null, _options.ExecutorRegistrationTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        _log.LogInformation("Executor {ExecutorId} of framework {FrameworkId} started as process group {Pgid} in {Sandbox}",
            ExecutorId, FrameworkId, container.ProcessGroupId, Directory);
        if (destroyNow)
        {
            _ = container.DestroyAsync(TimeSpan.Zero, CancellationToken.None);
        }

        var exit = await container.Exited.ConfigureAwait(false);

        // Whatever the executor left running in its container goes with it.
        await container.DestroyAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        _log.LogInformation("Executor {ExecutorId} of framework {FrameworkId} ended: {Exit}", ExecutorId, FrameworkId, exit.Describe());
        Ended(exit);
    }

    /// <summary>A task group for this executor: sent at once (one LAUNCH_GROUP) when it is subscribed, else queued.</summary>
    public void AddGroup(IReadOnlyList<TaskInfo> tasks)
    {
        var lost = new List<TaskStatus>();
        lock (_gate)
        {
            var group = _nextGroup++;
            var entries = tasks.Select(t => new ExecutorTask(t, _counters) { Group = group }).ToList();
            foreach (var entry in entries)
            {
                if (_phase is ExecutorPhase.Terminating or ExecutorPhase.Terminated)
                {
                    entry.MoveTo(TaskState.TaskLost);
                    lost.Add(AgentStatus(entry.TaskId, TaskState.TaskLost, TaskStatus.Types.Reason.ExecutorTerminated, "Executor terminating"));
                }

                _tasks.Add(entry);
            }

            if (lost.Count == 0 && _phase == ExecutorPhase.Running && _connection is { } connection)
            {
                entries.ForEach(e => e.Launched = true);
                connection.Send(LaunchGroupEvent(tasks));
            }
        }

        foreach (var status in lost)
        {
            _forward(status);
        }
    }

    /// <summary>A task for this executor: sent at once when it is subscribed, else queued until it subscribes.</summary>
    public void AddTask(TaskInfo task)
    {
        TaskStatus? lost = null;
        lock (_gate)
        {
            var entry = new ExecutorTask(task, _counters);
            if (_phase is ExecutorPhase.Terminating or ExecutorPhase.Terminated)
            {
                // As Mesos: a task for an executor that is going away cannot run.
                entry.MoveTo(TaskState.TaskLost);
                lost = AgentStatus(task.TaskId, TaskState.TaskLost, TaskStatus.Types.Reason.ExecutorTerminated, "Executor terminating");
            }

            _tasks.Add(entry);
            if (lost is null)
            {
                LinkVolumes(task);
            }

            if (lost is null && _phase == ExecutorPhase.Running && _connection is { } connection)
            {
                entry.Launched = true;
                connection.Send(LaunchEvent(task));
            }
        }

        if (lost is not null)
        {
            _forward(lost);
        }
    }

    /// <summary>
    /// SUBSCRIBE: replaces any earlier connection, answers SUBSCRIBED, then re-handles the updates the executor did not
    /// see acknowledged and sends the tasks still queued.
    /// </summary>
    public ExecutorConnection Subscribe(WireExecutor.Call.Types.Subscribe subscribe, string contentType)
    {
        var connection = new ExecutorConnection(contentType);
        var lost = new List<TaskStatus>();
        ExecutorConnection? previous;
        bool shutdown;
        lock (_gate)
        {
            previous = _connection;
            _connection = connection;
            _registrationTimer?.Dispose();
            _registrationTimer = null;
            shutdown = _phase == ExecutorPhase.Terminating;
            if (_phase == ExecutorPhase.Registering)
            {
                _phase = ExecutorPhase.Running;
            }

            connection.Send(new WireExecutor.Event
            {
                Type = WireExecutor.Event.Types.Type.Subscribed,
                Subscribed = new WireExecutor.Event.Types.Subscribed
                {
                    ExecutorInfo = ExecutorWire.ToWire(Info),
                    FrameworkInfo = ExecutorWire.ToWire(Framework),
                    AgentInfo = ExecutorWire.ToWire(AgentId, AgentInfo.Hostname, AgentInfo.Port, AgentInfo.Resources),
                    ContainerId = new Wire.ContainerID { Value = ContainerId },
                },
            });
            connection.StartHeartbeats(_time, _options.ExecutorHeartbeatInterval);

            if (shutdown)
            {
                connection.Send(new WireExecutor.Event { Type = WireExecutor.Event.Types.Type.Shutdown });
            }
            else
            {
                // As Mesos on re-subscription: a launched task the executor neither lists nor reported on never reached it.
                var known = subscribe.UnacknowledgedTasks.Select(t => t.TaskId?.Value)
                    .Concat(subscribe.UnacknowledgedUpdates.Select(u => u.Status?.TaskId?.Value))
                    .ToHashSet(StringComparer.Ordinal);
                foreach (var task in _tasks.Where(t => t.Launched && t.LatestState is null && !known.Contains(t.TaskId)))
                {
                    task.MoveTo(TaskState.TaskLost);
                    lost.Add(AgentStatus(task.TaskId, TaskState.TaskLost, TaskStatus.Types.Reason.ExecutorTerminated,
                        "Task was not received by the executor"));
                }

                foreach (var task in _tasks.Where(t => !t.Launched && !t.Terminal).ToList())
                {
                    if (task.Launched)
                    {
                        continue;
                    }

                    if (task.Group is { } group)
                    {
                        // A queued group goes out whole, in one LAUNCH_GROUP, as it came.
                        var members = _tasks.Where(t => t.Group == group && !t.Launched && !t.Terminal).ToList();
                        members.ForEach(t => t.Launched = true);
                        connection.Send(LaunchGroupEvent(members.Select(t => t.Info)));
                        continue;
                    }

                    task.Launched = true;
                    connection.Send(LaunchEvent(task.Info));
                }
            }
        }

        previous?.Close();
        foreach (var status in lost)
        {
            Forward(status);
        }

        foreach (var update in subscribe.UnacknowledgedUpdates)
        {
            Update(update.Status);
        }

        return connection;
    }

    /// <summary>The executor's connection went away; a later SUBSCRIBE may bring it back.</summary>
    public void Disconnected(ExecutorConnection connection)
    {
        lock (_gate)
        {
            if (_connection == connection)
            {
                _connection = null;
            }
        }

        connection.Close();
    }

    /// <summary>
    /// UPDATE: the update goes to the status update manager with the executor's uuid (reliably forwarded, retried until
    /// the framework acknowledges it), and the executor is told with ACKNOWLEDGED that the agent has it.
    /// </summary>
    public void Update(Wire.TaskStatus update)
    {
        var status = ExecutorWire.ToAgent(update, FrameworkId, AgentId);
        status.ExecutorId = ExecutorId;
        bool forward;
        lock (_gate)
        {
            if (_tasks.FirstOrDefault(t => t.TaskId == status.TaskId) is { } task && !task.Terminal)
            {
                task.MoveTo(status.State);
            }

            forward = !_frameworkShuttingDown;
        }

        _log.LogInformation("Executor {ExecutorId} reports task {TaskId} of framework {FrameworkId} {State}",
            ExecutorId, status.TaskId, FrameworkId, status.State);
        if (forward)
        {
            _forward(status);
        }

        lock (_gate)
        {
            _connection?.Send(new WireExecutor.Event
            {
                Type = WireExecutor.Event.Types.Type.Acknowledged,
                Acknowledged = new WireExecutor.Event.Types.Acknowledged { TaskId = new Wire.TaskID { Value = status.TaskId }, Uuid = update.Uuid },
            });
        }
    }

    /// <summary>A framework message for the executor (best effort, as in Mesos).</summary>
    public void Message(ByteString data)
    {
        lock (_gate)
        {
            _connection?.Send(new WireExecutor.Event
            {
                Type = WireExecutor.Event.Types.Type.Message,
                Message = new WireExecutor.Event.Types.Message { Data = data },
            });
        }
    }

    /// <summary>The framework's KILL: a task still queued here is killed by the agent, a launched one by the executor.</summary>
    public void Kill(string taskId, KillPolicy? policy)
    {
        TaskStatus? killed = null;
        lock (_gate)
        {
            if (_tasks.FirstOrDefault(t => t.TaskId == taskId) is not { } task || task.Terminal)
            {
                return;
            }

            if (!task.Launched)
            {
                task.MoveTo(TaskState.TaskKilled);
                killed = AgentStatus(taskId, TaskState.TaskKilled, TaskStatus.Types.Reason.TaskKilledDuringLaunch, "Killed before delivery to the executor");
            }
            else
            {
                var kill = new WireExecutor.Event.Types.Kill { TaskId = new Wire.TaskID { Value = taskId } };
                if (policy is not null || task.Info.KillPolicy is not null)
                {
                    kill.KillPolicy = ExecutorWire.ToWire(policy ?? task.Info.KillPolicy);
                }

                _connection?.Send(new WireExecutor.Event { Type = WireExecutor.Event.Types.Type.Kill, Kill = kill });
            }
        }

        if (killed is not null)
        {
            Forward(killed);
        }
    }

    /// <summary>
    /// Shuts the executor down: SHUTDOWN to it, and its container destroyed after its shutdown grace period (at once when
    /// it never subscribed). <paramref name="frameworkRemoved"/>: its tasks' updates are no longer forwarded.
    /// </summary>
    public void Shutdown(bool frameworkRemoved)
    {
        IContainer? destroyNow = null;
        lock (_gate)
        {
            _frameworkShuttingDown |= frameworkRemoved;
            if (_phase is ExecutorPhase.Terminating or ExecutorPhase.Terminated)
            {
                return;
            }

            var subscribed = _phase == ExecutorPhase.Running && _connection is not null;
            _phase = ExecutorPhase.Terminating;
            _registrationTimer?.Dispose();
            _registrationTimer = null;
            if (subscribed)
            {
                _connection!.Send(new WireExecutor.Event { Type = WireExecutor.Event.Types.Type.Shutdown });
                _shutdownTimer = _time.CreateTimer(_ => ShutdownTimedOut(), null, ShutdownGracePeriod, Timeout.InfiniteTimeSpan);
            }
            else
            {
                destroyNow = _container;
            }
        }

        _log.LogInformation("Shutting down executor {ExecutorId} of framework {FrameworkId}", ExecutorId, FrameworkId);
        if (destroyNow is not null)
        {
            _ = destroyNow.DestroyAsync(TimeSpan.Zero, CancellationToken.None);
        }
    }

    /// <summary>Ends the executor now (the agent is stopping).</summary>
    public Task DestroyAsync(TimeSpan gracePeriod)
    {
        IContainer? container;
        lock (_gate)
        {
            _frameworkShuttingDown = true;
            _phase = _phase == ExecutorPhase.Terminated ? _phase : ExecutorPhase.Terminating;
            container = _container;
        }

        return container?.DestroyAsync(gracePeriod, CancellationToken.None) ?? Task.CompletedTask;
    }

    private void RegistrationTimedOut()
    {
        IContainer? container;
        lock (_gate)
        {
            if (_phase != ExecutorPhase.Registering)
            {
                return;
            }

            _phase = ExecutorPhase.Terminating;
            _terminationReason = TaskStatus.Types.Reason.ExecutorRegistrationTimeout;
            _terminationMessage = "Executor did not register within " + MesosDuration.Format(_options.ExecutorRegistrationTimeout);
            container = _container;
        }

        _log.LogWarning("Executor {ExecutorId} of framework {FrameworkId} did not subscribe within {Timeout}; killing it",
            ExecutorId, FrameworkId, _options.ExecutorRegistrationTimeout);
        _ = container?.DestroyAsync(TimeSpan.Zero, CancellationToken.None);
    }

    private void ShutdownTimedOut()
    {
        IContainer? container;
        lock (_gate)
        {
            container = _phase == ExecutorPhase.Terminating ? _container : null;
        }

        if (container is not null)
        {
            _log.LogWarning("Executor {ExecutorId} of framework {FrameworkId} did not exit within its shutdown grace period; killing it", ExecutorId, FrameworkId);
            _ = container.DestroyAsync(TimeSpan.Zero, CancellationToken.None);
        }
    }

    private void Ended(ContainerExit? exit)
    {
        var failed = new List<TaskStatus>();
        ExecutorConnection? connection;
        lock (_gate)
        {
            _phase = ExecutorPhase.Terminated;
            _registrationTimer?.Dispose();
            _shutdownTimer?.Dispose();
            connection = _connection;
            _connection = null;
            var reason = _terminationReason ?? TaskStatus.Types.Reason.ExecutorTerminated;
            var message = _terminationMessage ?? "Executor terminated" + (exit is null ? string.Empty : ": " + exit.Describe());
            foreach (var task in _tasks.Where(t => !t.Terminal))
            {
                task.MoveTo(TaskState.TaskFailed);
                failed.Add(AgentStatus(task.TaskId, TaskState.TaskFailed, reason, message));
            }
        }

        connection?.Close();
        foreach (var status in failed)
        {
            Forward(status);
        }

        _ended(this, exit);
    }

    private void Forward(TaskStatus status)
    {
        bool forward;
        lock (_gate)
        {
            forward = !_frameworkShuttingDown;
        }

        if (forward)
        {
            _forward(status);
        }
    }

    private static WireExecutor.Event LaunchEvent(TaskInfo task) => new()
    {
        Type = WireExecutor.Event.Types.Type.Launch,
        Launch = new WireExecutor.Event.Types.Launch { Task = ExecutorWire.ToWire(task) },
    };

    private static WireExecutor.Event LaunchGroupEvent(IEnumerable<TaskInfo> tasks)
    {
        var taskGroup = new Wire.TaskGroupInfo();
        taskGroup.Tasks.AddRange(tasks.Select(ExecutorWire.ToWire));
        return new WireExecutor.Event
        {
            Type = WireExecutor.Event.Types.Type.LaunchGroup,
            LaunchGroup = new WireExecutor.Event.Types.LaunchGroup { TaskGroup = taskGroup },
        };
    }

    private TaskStatus AgentStatus(string taskId, TaskState state, TaskStatus.Types.Reason reason, string message) =>
        AgentStatuses.Create(_time, FrameworkId, taskId, ExecutorId, AgentId, state, message, reason);

    /// <summary>Mesos' executor environment (<c>executorEnvironment</c> in the agent), then the command's own variables.</summary>
    private ContainerConfig ContainerConfig()
    {
        var command = Info.Command ?? new CommandInfo();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } path ? path : AgentStatuses.DefaultPath,
            ["MESOS_FRAMEWORK_ID"] = FrameworkId,
            ["MESOS_EXECUTOR_ID"] = ExecutorId,
            ["MESOS_DIRECTORY"] = Directory,
            ["MESOS_SANDBOX"] = Directory,
            ["MESOS_AGENT_ENDPOINT"] = AgentEndpoint,
            ["MESOS_SLAVE_ID"] = AgentId,
            ["MESOS_CHECKPOINT"] = Framework.Checkpoint ? "1" : "0",
            ["MESOS_HTTP_COMMAND_EXECUTOR"] = "0",
            ["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = MesosDuration.Format(ShutdownGracePeriod),
        };
        if (Framework.Checkpoint)
        {
            // Mesos' defaults for --recovery_timeout and --executor_reregistration_timeout.
            environment["MESOS_RECOVERY_TIMEOUT"] = "15mins";
            environment["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = "2secs";
        }

        if (System.Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home)
        {
            environment["HOME"] = home;
        }

        foreach (var variable in command.Environment?.Variables ?? [])
        {
            if (variable.Name.Length > 0)
            {
                environment[variable.Name] = variable.Value;
            }
        }

        var shell = !command.HasShell || command.Shell;
        return new ContainerConfig(ContainerId, Directory, shell, command.Value, command.Arguments.ToList(), environment)
        {
            Cpus = Scalar("cpus"),
            MemoryMegabytes = Scalar("mem"),
        };
    }

    /// <summary>The executor's own resources with its first tasks', for isolators that enforce them.</summary>
    private double? Scalar(string name)
    {
        List<Resource> matching;
        lock (_gate)
        {
            matching = Info.Resources.Concat(_tasks.SelectMany(t => t.Info.Resources)).Where(r => r.Name == name && r.Scalar is not null).ToList();
        }

        return matching.Count > 0 ? matching.Sum(r => r.Scalar.Value) : null;
    }
}
