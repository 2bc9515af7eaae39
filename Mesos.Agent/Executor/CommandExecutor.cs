using Google.Protobuf;
using Mesos.Agent.Containerizer;
using Mesos.Agent.Recovery;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.Executor;

/// <summary>
/// Mesos' built-in command executor for one task: makes the sandbox, runs the command in a container and
/// reports TASK_STARTING, TASK_RUNNING and one terminal state. It lives in the agent process, so it reports
/// through a callback rather than the executor HTTP API; every report is a fresh update with its own uuid.
/// </summary>
public sealed class CommandExecutor
{
    private readonly TaskLaunch _launch;
    private readonly IContainerizer _containerizer;
    private readonly Action<TaskStatus> _report;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TimeSpan _defaultKillGracePeriod;
    private readonly TaskCheckpoint? _checkpoint;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<TaskStatus> _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _nested;

    private IContainer? _container;
    private TaskUser? _user;
    private HealthChecker? _healthChecker;
    private bool _killedByHealthCheck;
    private TaskState? _lastReported;
    private TimeSpan? _killGracePeriod;
    private Task? _destroying;

    public CommandExecutor(
        TaskLaunch launch,
        IContainerizer containerizer,
        Action<TaskStatus> report,
        TimeProvider time,
        ILogger log,
        TimeSpan defaultKillGracePeriod,
        string? containerId = null,
        TaskCheckpoint? checkpoint = null,
        string? nestedSandbox = null)
    {
        _launch = launch;
        _containerizer = containerizer;
        _report = report;
        _time = time;
        _log = log;
        _defaultKillGracePeriod = defaultKillGracePeriod;
        _checkpoint = checkpoint;
        ContainerId = containerId ?? Guid.NewGuid().ToString();
        _nested = nestedSandbox is not null;
        Directory = nestedSandbox ?? SandboxLayout.RunDirectory(launch.WorkDir, launch.AgentId, launch.FrameworkId, launch.ExecutorId, ContainerId);
    }

    public string ContainerId { get; }

    /// <summary>The run's sandbox: the task's working directory, holding its stdout and stderr.</summary>
    public string Directory { get; }

    public TaskLaunch Launch => _launch;

    /// <summary>Mesos' <c>--switch_user</c>: when the agent is root, run the task as its command's or framework's user.</summary>
    public bool SwitchUser { get; init; }

    /// <summary>Fetches the command's URIs into the sandbox before the task starts; null fetches nothing.</summary>
    public UriFetcher? Fetcher { get; init; }

    /// <summary>The container once launched; null before, or when the launch failed.</summary>
    public IContainer? Container
    {
        get
        {
            lock (_gate)
            {
                return _container;
            }
        }
    }

    /// <summary>Completes with the terminal update once it has been reported.</summary>
    public Task<TaskStatus> Completion => _terminal.Task;

    /// <summary>Runs the task to its end; the returned task completes after the terminal update was reported.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_nested)
            {
                // A task of the default executor: its sandbox sits in the executor's run, which has the runs/latest link.
                SandboxLayout.CreateNested(Directory);
            }
            else
            {
                SandboxLayout.Create(Directory);
            }

            Volumes.PersistentVolumes.Link(_launch.WorkDir, Directory, _launch.Task.Resources);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            ReportLaunchFailure($"Failed to create sandbox '{Directory}': {e.Message}");
            return;
        }

        if (_launch.Task.Command is not { } command)
        {
            ReportLaunchFailure("Task has no command to run");
            return;
        }

        if (SwitchUser && UserAccounts.AgentIsRoot && RunAsName(command) is { } userName)
        {
            if (UserAccounts.Find(userName) is not { } user)
            {
                ReportLaunchFailure($"Failed to launch the task as user '{userName}': no such user on this agent (--switch_user)");
                return;
            }

            try
            {
                foreach (var path in new[] { Directory, Path.Combine(Directory, "stdout"), Path.Combine(Directory, "stderr") })
                {
                    UserAccounts.Chown(path, user);
                }
            }
            catch (IOException e)
            {
                ReportLaunchFailure($"Failed to give the sandbox to user '{userName}': {e.Message}");
                return;
            }

            _user = user;
        }

        if (command.Uris.Count > 0)
        {
            try
            {
                await (Fetcher ?? new UriFetcher()).FetchAsync(command.Uris, Directory, _user, cancellationToken).ConfigureAwait(false);
            }
            catch (FetchException e)
            {
                ReportLaunchFailure(e.Message);
                return;
            }
        }

        if (!TryReport(TaskState.TaskStarting, null, TaskStatus.Types.Source.Executor, null))
        {
            return;
        }

        IContainer container;
        try
        {
            container = await _containerizer.LaunchAsync(ContainerConfigFor(command), cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerLaunchException e)
        {
            ReportLaunchFailure(e.Message);
            return;
        }

        CheckpointPid(container);
        bool killedDuringLaunch;
        lock (_gate)
        {
            _container = container;
            killedDuringLaunch = _killGracePeriod is not null;
            if (!killedDuringLaunch)
            {
                Report(TaskState.TaskRunning, null, TaskStatus.Types.Source.Executor, null);
            }
        }

        _log.LogInformation("Task {TaskId} of framework {FrameworkId} running as process group {Pgid} in {Sandbox}",
            _launch.TaskId, _launch.FrameworkId, container.ProcessGroupId, Directory);

        if (killedDuringLaunch)
        {
            StartDestroying(container, TimeSpan.Zero);
        }
        else if (_launch.Task.HealthCheck is { } check && check.Type != HealthCheck.Types.Type.Unknown)
        {
            StartHealthChecks(check, command);
        }

        await FinishAsync(container, killedDuringLaunch).ConfigureAwait(false);
    }

    private string? RunAsName(CommandInfo command) =>
        command.User.Length > 0 ? command.User : _launch.Framework.User.Length > 0 ? _launch.Framework.User : null;

    private void StartHealthChecks(HealthCheck check, CommandInfo command)
    {
        var checker = new HealthChecker(check, Directory, ContainerConfigFor(command).Environment, _user, OnHealth, _log, _launch.TaskId);
        lock (_gate)
        {
            _healthChecker = checker;
        }

        checker.Start();
    }

    /// <summary>Mesos' command executor: each health verdict is a TASK_RUNNING with <c>healthy</c>; the last failure kills the task.</summary>
    private void OnHealth(bool healthy, bool kill)
    {
        lock (_gate)
        {
            if (_killGracePeriod is not null || (_lastReported is { } last && IsTerminal(last)))
            {
                return;
            }

            Report(TaskState.TaskRunning, healthy ? "Task is healthy" : "Task is unhealthy", TaskStatus.Types.Source.Executor,
                TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated, healthy);
            _killedByHealthCheck = kill;
        }

        if (kill)
        {
            _log.LogWarning("Task {TaskId} of framework {FrameworkId} failed its health checks; killing it", _launch.TaskId, _launch.FrameworkId);
            Kill(null);
        }
    }

    /// <summary>
    /// Takes the task over from a previous run of the agent, which had reported up to <paramref name="latestState"/>:
    /// follows <paramref name="container"/> to its end, or, when it is no longer running, reports how it ended from
    /// <paramref name="exitWhileDown"/> (null: it ended without a record).
    /// </summary>
    public async Task RecoverAsync(TaskState latestState, IContainer? container, ContainerExit? exitWhileDown)
    {
        if (IsTerminal(latestState))
        {
            lock (_gate)
            {
                _lastReported = latestState;
            }

            return;
        }

        lock (_gate)
        {
            _lastReported = latestState;
            _container = container;
            if (latestState == TaskState.TaskKilling)
            {
                // The previous agent was killing it; how it ends is the kill's outcome.
                _killGracePeriod = TimeSpan.Zero;
            }

            if (container is null)
            {
                if (exitWhileDown is not { } exit)
                {
                    Report(TaskState.TaskFailed, "The task's container ended while the agent was down, leaving no exit status",
                        TaskStatus.Types.Source.Agent, TaskStatus.Types.Reason.ExecutorTerminated);
                }
                else
                {
                    ReportExitLocked(exit, killedDuringLaunch: false);
                }
            }
            else if (latestState is TaskState.TaskStaging or TaskState.TaskStarting)
            {
                Report(TaskState.TaskRunning, null, TaskStatus.Types.Source.Executor, null);
            }
        }

        if (container is null)
        {
            _log.LogInformation("Task {TaskId} of framework {FrameworkId} ended while the agent was down: {Exit}",
                _launch.TaskId, _launch.FrameworkId, exitWhileDown?.Describe() ?? "no exit status");
            return;
        }

        _log.LogInformation("Re-attached to task {TaskId} of framework {FrameworkId} (process group {Pgid})",
            _launch.TaskId, _launch.FrameworkId, container.ProcessGroupId);
        if (latestState == TaskState.TaskKilling)
        {
            // The kill died with the previous agent; finish it, or a task ignoring SIGTERM would run on.
            StartDestroying(container, GracePeriod(_launch.Task.KillPolicy) ?? _defaultKillGracePeriod);
        }

        await FinishAsync(container, killedDuringLaunch: false).ConfigureAwait(false);
    }

    private async Task FinishAsync(IContainer container, bool killedDuringLaunch)
    {
        var exit = await container.Exited.ConfigureAwait(false);
        HealthChecker? checker;
        lock (_gate)
        {
            checker = _healthChecker;
        }

        if (checker is not null)
        {
            await checker.DisposeAsync().ConfigureAwait(false);
        }

        // The main process is gone; whatever it left running in its group goes with it, as the container ends.
        await container.DestroyAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        Task? destroying;
        lock (_gate)
        {
            destroying = _destroying;
        }

        if (destroying is not null)
        {
            await destroying.ConfigureAwait(false);
        }

        lock (_gate)
        {
            ReportExitLocked(exit, killedDuringLaunch);
        }

        _log.LogInformation("Task {TaskId} of framework {FrameworkId}: {Exit}", _launch.TaskId, _launch.FrameworkId, exit.Describe());
    }

    private void ReportExitLocked(ContainerExit exit, bool killedDuringLaunch)
    {
        if (exit.Limitation is { } limitation)
        {
            // As Mesos: the containerizer, not the executor, ended the task, so the agent reports it.
            Report(TaskState.TaskFailed, limitation.Message, TaskStatus.Types.Source.Agent, limitation.Kind switch
            {
                ContainerLimitationKind.Memory => TaskStatus.Types.Reason.ContainerLimitationMemory,
                _ => TaskStatus.Types.Reason.ContainerLimitation,
            });
        }
        else if (_killGracePeriod is not null)
        {
            Report(TaskState.TaskKilled, exit.Describe(), TaskStatus.Types.Source.Executor,
                killedDuringLaunch ? TaskStatus.Types.Reason.TaskKilledDuringLaunch : null,
                _killedByHealthCheck ? false : null);
        }
        else if (exit.Succeeded)
        {
            Report(TaskState.TaskFinished, exit.Describe(), TaskStatus.Types.Source.Executor, null);
        }
        else
        {
            Report(TaskState.TaskFailed, exit.Describe(), TaskStatus.Types.Source.Executor, TaskStatus.Types.Reason.CommandExecutorFailed);
        }
    }

    private void CheckpointPid(IContainer container)
    {
        if (_checkpoint is null)
        {
            return;
        }

        try
        {
            // A supervisor already gone has no start time to record; its exit_status file tells recovery all it needs.
            if (ProcessTable.StartTimeOf(container.ProcessGroupId) is { } started)
            {
                _checkpoint.WritePid(container.ProcessGroupId, started);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("Cannot checkpoint the pid of task {TaskId}: {Message}; it will not survive an agent restart", _launch.TaskId, e.Message);
        }
    }

    /// <summary>
    /// Kills the task: SIGTERM to its process group, SIGKILL after the grace period (the kill's policy, else the
    /// task's, else the default). TASK_KILLING first when the framework understands it. Later kills are no-ops.
    /// </summary>
    public void Kill(KillPolicy? policy)
    {
        var grace = GracePeriod(policy) ?? GracePeriod(_launch.Task.KillPolicy) ?? _defaultKillGracePeriod;
        IContainer? container;
        lock (_gate)
        {
            if (_killGracePeriod is not null || (_lastReported is { } last && IsTerminal(last)))
            {
                return;
            }

            _killGracePeriod = grace;
            container = _container;
            if (container is not null && HasCapability(FrameworkInfo.Types.Capability.TaskKillingState))
            {
                Report(TaskState.TaskKilling, null, TaskStatus.Types.Source.Executor, null);
            }
        }

        _log.LogInformation("Killing task {TaskId} of framework {FrameworkId} (grace period {Grace})", _launch.TaskId, _launch.FrameworkId, grace);
        if (container is not null)
        {
            StartDestroying(container, grace);
        }
    }

    private void StartDestroying(IContainer container, TimeSpan grace)
    {
        lock (_gate)
        {
            _destroying ??= Task.Run(() => container.DestroyAsync(grace, CancellationToken.None));
        }
    }

    private ContainerConfig ContainerConfigFor(CommandInfo command)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } path ? path : AgentStatuses.DefaultPath,
            ["MESOS_SANDBOX"] = Directory,
            ["MESOS_DIRECTORY"] = Directory,
            ["MESOS_TASK_ID"] = _launch.TaskId,
            ["MESOS_FRAMEWORK_ID"] = _launch.FrameworkId,
            ["MESOS_EXECUTOR_ID"] = _launch.ExecutorId,
            ["MESOS_AGENT_ENDPOINT"] = _launch.AgentEndpoint,
            ["MESOS_CONTAINER_ID"] = ContainerId,
        };
        if (_user is { Home: { Length: > 0 } userHome })
        {
            environment["HOME"] = userHome;
            environment["USER"] = _user.Name;
        }
        else if (System.Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home)
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
            ExitStatusPath = _checkpoint?.ExitStatusPath,
            RunAs = _user,
            Cpus = ScalarResource("cpus"),
            MemoryMegabytes = ScalarResource("mem"),
        };
    }

    private double? ScalarResource(string name)
    {
        var matching = _launch.Task.Resources.Where(r => r.Name == name && r.Scalar is not null).ToList();
        return matching.Count > 0 ? matching.Sum(r => r.Scalar.Value) : null;
    }

    private void ReportLaunchFailure(string message)
    {
        _log.LogWarning("Task {TaskId} of framework {FrameworkId} failed to launch: {Message}", _launch.TaskId, _launch.FrameworkId, message);
        TryReport(TaskState.TaskFailed, message, TaskStatus.Types.Source.Agent, TaskStatus.Types.Reason.ContainerLaunchFailed);
    }

    /// <summary>Reports unless a kill got in first, in which case the task ends as killed before it ever ran.</summary>
    private bool TryReport(TaskState state, string? message, TaskStatus.Types.Source source, TaskStatus.Types.Reason? reason)
    {
        lock (_gate)
        {
            if (_killGracePeriod is not null)
            {
                Report(TaskState.TaskKilled, "Task killed before it was launched", TaskStatus.Types.Source.Executor, TaskStatus.Types.Reason.TaskKilledDuringLaunch);
                return false;
            }

            Report(state, message, source, reason);
            return !IsTerminal(state);
        }
    }

    // Called under _gate so that updates leave in the order they happened, whichever thread made them.
    private void Report(TaskState state, string? message, TaskStatus.Types.Source source, TaskStatus.Types.Reason? reason, bool? healthy = null)
    {
        if (_lastReported is { } last && IsTerminal(last))
        {
            return;
        }

        var status = new TaskStatus
        {
            TaskId = _launch.TaskId,
            FrameworkId = _launch.FrameworkId,
            ExecutorId = _launch.ExecutorId,
            AgentId = _launch.AgentId,
            State = state,
            Message = message ?? string.Empty,
            Source = source,
            Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
            Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
        };
        if (reason is { } r)
        {
            status.Reason = r;
        }

        if (healthy is { } h)
        {
            status.Healthy = h;
        }

        _lastReported = state;
        try
        {
            _report(status);
        }
        finally
        {
            if (IsTerminal(state))
            {
                _terminal.TrySetResult(status);
            }
        }
    }

    private bool HasCapability(FrameworkInfo.Types.Capability capability) => _launch.Framework.Capabilities.Contains(capability);

    private static TimeSpan? GracePeriod(KillPolicy? policy) =>
        policy is { HasGracePeriodNanoseconds: true } ? TimeSpan.FromTicks(Math.Max(0, policy.GracePeriodNanoseconds) / 100) : null;

    public static bool IsTerminal(TaskState state) => state is
        TaskState.TaskFinished or TaskState.TaskFailed or TaskState.TaskKilled or TaskState.TaskLost or
        TaskState.TaskError or TaskState.TaskDropped or TaskState.TaskGone or TaskState.TaskGoneByOperator;
}
