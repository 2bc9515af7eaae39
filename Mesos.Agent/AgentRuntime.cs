using System.Net;
using Mesos.Agent.Configuration;
using Mesos.Agent.Containerizer;
using Mesos.Agent.Executor;
using Mesos.Agent.Http;
using Mesos.Agent.Isolation;
using Mesos.Agent.Recovery;
using Mesos.Agent.Registration;
using Mesos.Agent.StatusUpdates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Agent;

/// <summary>
/// A running agent: HTTP endpoints, the link to the master, the status update manager and the tasks. Start it
/// with <see cref="StartAsync(AgentOptions, ILoggerFactory?, CancellationToken)"/>; many can run in one process
/// (each with its own work dir and port), which is how integration tests use it.
/// </summary>
public sealed class AgentRuntime : IAsyncDisposable
{
    private readonly AgentCore _core;
    private readonly AgentHttpServer _http;
    private readonly StatusUpdateManager _updates;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _link;
    private readonly MasterLink _masterLink;
    private readonly ILogger _log;
    private int _stopped;

    private AgentRuntime(AgentCore core, AgentHttpServer http, StatusUpdateManager updates, CancellationTokenSource stopping, MasterLink masterLink, Task link, ILogger log)
    {
        _masterLink = masterLink;
        _core = core;
        _http = http;
        _updates = updates;
        _stopping = stopping;
        _link = link;
        _log = log;
    }

    /// <summary>Mesos' ExitedExecutorMessage: best effort, so that the master frees the executor's resources.</summary>
    private static async Task ReportExecutorExitedAsync(MasterLink link, string agentId, string frameworkId, string executorId, int? status, ILogger log)
    {
        if (link.Client is not { } client)
        {
            return;
        }

        var request = new Protocol.V1.ExecutorExitedRequest { AgentId = agentId, FrameworkId = frameworkId, ExecutorId = executorId };
        if (status is { } s)
        {
            request.Status = s;
        }

        try
        {
            await client.ExecutorExitedAsync(request, deadline: DateTime.UtcNow.AddSeconds(15)).ConfigureAwait(false);
        }
        catch (Grpc.Core.RpcException e)
        {
            log.LogWarning("Cannot tell the master that executor {ExecutorId} of framework {FrameworkId} exited: {Message}",
                executorId, frameworkId, e.Status.Detail);
        }
    }

    /// <summary>Mesos' ExecutorToFrameworkMessage: at most once, so a failure is logged and the message dropped.</summary>
    private static async Task RelayExecutorMessageAsync(MasterLink link, ExecutorApi.CustomExecutor executor, Google.Protobuf.ByteString data, ILogger log)
    {
        if (link.Client is not { } client)
        {
            log.LogWarning("Dropping a message from executor {ExecutorId} of framework {FrameworkId}: not attached to a master", executor.ExecutorId, executor.FrameworkId);
            return;
        }

        var request = new Protocol.V1.ExecutorMessageRequest { AgentId = executor.AgentId, FrameworkId = executor.FrameworkId, ExecutorId = executor.ExecutorId, Data = data };
        try
        {
            await client.ExecutorMessageAsync(request, deadline: DateTime.UtcNow.AddSeconds(15)).ConfigureAwait(false);
        }
        catch (Grpc.Core.RpcException e)
        {
            log.LogWarning("Dropping a message from executor {ExecutorId} of framework {FrameworkId}: {Message}",
                executor.ExecutorId, executor.FrameworkId, e.Status.Detail);
        }
    }

    /// <summary>The port the HTTP endpoints are bound to (the real one when the options asked for port 0).</summary>
    public int HttpPort => _http.Port;

    /// <summary>The agent id once a master registered the agent (or the one recovered from the work dir); null before.</summary>
    public string? AgentId => _core.AgentId;

    /// <summary>The <c>host:port</c> of the master the agent is attached to right now; null while it is not.</summary>
    public string? Master => _core.Master;

    public string Hostname => _core.Hostname;

    /// <summary>Why the master told the agent to shut down (it was marked gone); null while it has not.</summary>
    public string? ShutdownReason => _masterLink.ShutdownReason;

    /// <summary>Whether the master told the agent to drain and something here has not ended and been acknowledged yet.</summary>
    public bool Draining => _core.Draining;

    /// <summary>Completes when the agent stops attaching to masters: when it is stopped, or told to shut down.</summary>
    public Task Detached => _link;

    public AgentOptions Options => _core.Options;

    /// <summary>Completes with the agent id when a master first registers (or re-registers) the agent.</summary>
    public Task<string> WaitForRegistrationAsync(CancellationToken cancellationToken = default) =>
        _core.Registered.WaitAsync(cancellationToken);

    /// <summary>
    /// Starts with the containerizer <see cref="AgentOptions.Isolation"/> asks for (cgroups where the machine allows
    /// it when unset); throws <see cref="IsolationException"/> when the isolators asked for are not available.
    /// </summary>
    public static Task<AgentRuntime> StartAsync(AgentOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        var log = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Mesos.Agent");
        var isolation = IsolationConfig.Resolve(options.Isolation, options.CgroupsEnableCfs, () => CgroupsMounts.Detect(options.CgroupsRoot));
        if (isolation.Note is { } note)
        {
            log.LogWarning("Isolation: {Note}", note);
        }

        log.LogInformation("Isolators active: {Isolators}{Cgroups}", isolation, isolation.Cgroups is { } cgroups
            ? $" (cgroups {cgroups.Version}: {string.Join(", ", cgroups.Roots.Select(r => r.Key + "=" + r.Value))}; CFS quota {(isolation.EnableCfs ? "on" : "off")})"
            : string.Empty);
        IContainerizer containerizer = isolation.UsesCgroups ? new CgroupsContainerizer(isolation) : new PosixContainerizer();
        return StartAsync(options, loggers, containerizer, TimeProvider.System, cancellationToken);
    }

    /// <summary>Starts with a given containerizer and clock (tests); the agent does not own <paramref name="loggers"/>.</summary>
    public static async Task<AgentRuntime> StartAsync(
        AgentOptions options,
        ILoggerFactory? loggers,
        IContainerizer containerizer,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        loggers ??= NullLoggerFactory.Instance;
        var log = loggers.CreateLogger("Mesos.Agent");
        Directory.CreateDirectory(SandboxLayout.SandboxesRoot(options.WorkDir));
        Directory.CreateDirectory(Path.Combine(options.WorkDir, "meta"));

        var core = new AgentCore(options, options.Hostname ?? Dns.GetHostName(), containerizer, time, loggers);
        IReadOnlyList<RecoveredTask> recovered = [];
        if (core.AgentId is { } previousId)
        {
            (recovered, var problems) = CheckpointReader.Read(options.WorkDir, previousId);
            if (problems.Count > 0 && options.Strict)
            {
                throw new CheckpointException(string.Join("; ", problems) + " (--strict=false skips what cannot be read)");
            }

            foreach (var problem in problems)
            {
                log.LogWarning("{Problem}; skipping it (--strict=false)", problem);
            }
        }

        var http = await AgentHttpServer.StartAsync(core, new SandboxFiles(options.WorkDir), loggers, cancellationToken).ConfigureAwait(false);
        core.HttpPort = http.Port;

        var stopping = new CancellationTokenSource();
        var link = new MasterLink(options, core, time, loggers.CreateLogger("Mesos.Agent.MasterLink"));
        var updates = new StatusUpdateManager(
            new GrpcStatusUpdateSender(link, () => core.AgentId),
            time,
            loggers.CreateLogger("Mesos.Agent.StatusUpdates"),
            options.StatusUpdateRetryInterval,
            options.StatusUpdateRetryMax,
            core.OnStreamClosed);
        core.UseStatusUpdates(updates);
        core.Executors.Exited = (executor, status) => _ = ReportExecutorExitedAsync(link, executor.AgentId, executor.FrameworkId, executor.ExecutorId, status, log);
        core.DefaultExecutorExited = (agentId, frameworkId, executorId) => _ = ReportExecutorExitedAsync(link, agentId, frameworkId, executorId, 0, log);
        core.Executors.MessageToFramework = (executor, data) => _ = RelayExecutorMessageAsync(link, executor, data, log);
        var recoveredCount = core.Recover(recovered);
        updates.Start();

        log.LogInformation("Agent starting: master {Masters}, work_dir {WorkDir}, http port {Port}, hostname {Hostname}",
            string.Join(",", options.Masters), options.WorkDir, http.Port, core.Hostname);
        log.LogInformation("Agent resources: {Resources}{Attributes}", options.Resources,
            options.Attributes.Items.IsEmpty ? string.Empty : "; attributes: " + options.Attributes);
        if (core.AgentId is { } recoveredId)
        {
            log.LogInformation("Recovered agent id {AgentId} from {Path} and {Count} task(s) from its checkpoints",
                recoveredId, AgentIdStore.PathIn(options.WorkDir), recoveredCount);
        }

        var linkTask = Task.Run(() => link.RunAsync(stopping.Token), CancellationToken.None);
        return new AgentRuntime(core, http, updates, stopping, link, linkTask, log);
    }

    /// <summary>
    /// <c>--recover=cleanup</c>: kills every task a previous run checkpointed that still runs, then forgets the
    /// checkpoints and the agent id, so the next start registers as a new agent. Returns how many were killed.
    /// </summary>
    public static int Cleanup(AgentOptions options, ILogger log)
    {
        var killed = 0;
        IsolationConfig? isolation = null;
        try
        {
            isolation = IsolationConfig.Resolve(options.Isolation, options.CgroupsEnableCfs, () => CgroupsMounts.Detect(options.CgroupsRoot));
        }
        catch (IsolationException e)
        {
            log.LogWarning("Not cleaning up cgroups: {Message}", e.Message);
        }

        if (AgentIdStore.Load(options.WorkDir) is { } agentId)
        {
            foreach (var task in CheckpointReader.Read(options.WorkDir, agentId).Tasks)
            {
                if (task is { Pid: { } pid, StartTime: { } started } && ProcessTable.IsAlive(pid, started))
                {
                    PosixSignals.SignalGroup(pid, PosixSignals.SigKill);
                    killed++;
                    log.LogInformation("Killed task {TaskId} of framework {FrameworkId} (process group {Pgid})", task.Task.TaskId, task.Framework.Id, pid);
                }

                // What left the process group is still in the container's cgroups; they go with it.
                if (isolation?.UsesCgroups == true && ContainerCgroups.For(isolation, task.ContainerId) is { Exists: true } cgroups)
                {
                    cgroups.KillAllAsync(CancellationToken.None).GetAwaiter().GetResult();
                    cgroups.Remove();
                }
            }
        }

        var meta = Path.Combine(options.WorkDir, "meta");
        if (Directory.Exists(meta))
        {
            Directory.Delete(meta, recursive: true);
        }

        return killed;
    }

    /// <summary>
    /// Detaches from the master, kills every task (its executor lives in this process), then stops the HTTP
    /// endpoints. Safe to call more than once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _log.LogInformation("Agent stopping");
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _link.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _core.StopAsync(_core.Options.ExecutorShutdownGracePeriod).WaitAsync(cancellationToken).ConfigureAwait(false);
        await _updates.DisposeAsync().ConfigureAwait(false);
        await _core.Gc.DisposeAsync().ConfigureAwait(false);
        await _http.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
