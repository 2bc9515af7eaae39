using Mesos.Agent.Executor;
using Mesos.Agent.ExecutorApi;
using Mesos.Agent.State;
using Mesos.Hosting.Files;
using Google.Protobuf;
using Mesos.Protocol.Mapping;
using Microsoft.AspNetCore.Http;
using V1 = Mesos.Protocol.V1;
using Wire = Mesos.Protocol.Wire;
using WireAgent = Mesos.Protocol.Wire.Agent;

namespace Mesos.Agent.Http.Operator;

/// <summary>
/// The answers of the agent operator API, built from one read of the agent's state. Tasks are sorted the way
/// Mesos' agent does: launched (running under an executor), queued (waiting for a custom executor to subscribe),
/// terminated (terminal, executor still there) and completed (their executor ended).
/// </summary>
internal sealed class AgentResponses(AgentCore core, IFileTree files, TimeProvider time)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public WireAgent.Response Answer(WireAgent.Call call) => call.Type switch
    {
        WireAgent.Call.Types.Type.Unknown => throw new ApiCallError(StatusCodes.Status501NotImplemented, "Received an unexpected 'UNKNOWN' call"),
        WireAgent.Call.Types.Type.GetHealth => new() { Type = WireAgent.Response.Types.Type.GetHealth, GetHealth = new() { Healthy = true } },
        WireAgent.Call.Types.Type.GetFlags => Flags(),
        WireAgent.Call.Types.Type.GetVersion => Version(),
        WireAgent.Call.Types.Type.GetMetrics => MetricsResponse(),
        WireAgent.Call.Types.Type.ListFiles => ListFiles(call.ListFiles.Path),
        WireAgent.Call.Types.Type.ReadFile => ReadFile(call.ReadFile),
        WireAgent.Call.Types.Type.GetState => core.Read(snapshot => new WireAgent.Response
        {
            Type = WireAgent.Response.Types.Type.GetState,
            GetState = new() { GetTasks = Tasks(snapshot), GetExecutors = Executors(snapshot), GetFrameworks = Frameworks(snapshot) },
        }),
        WireAgent.Call.Types.Type.GetContainers => Containers(call.GetContainers?.ShowNested ?? false),
        WireAgent.Call.Types.Type.GetFrameworks => core.Read(snapshot => new WireAgent.Response { Type = WireAgent.Response.Types.Type.GetFrameworks, GetFrameworks = Frameworks(snapshot) }),
        WireAgent.Call.Types.Type.GetExecutors => core.Read(snapshot => new WireAgent.Response { Type = WireAgent.Response.Types.Type.GetExecutors, GetExecutors = Executors(snapshot) }),
        WireAgent.Call.Types.Type.GetTasks => core.Read(snapshot => new WireAgent.Response { Type = WireAgent.Response.Types.Type.GetTasks, GetTasks = Tasks(snapshot) }),
        WireAgent.Call.Types.Type.GetAgent => new() { Type = WireAgent.Response.Types.Type.GetAgent, GetAgent = new() { AgentInfo = AgentInfo() } },
        _ => throw new ApiCallError(
            StatusCodes.Status501NotImplemented,
            $"'{TypeName(call.Type)}' is not supported by this agent: it runs no nested or standalone containers, resource providers or image stores, and its log level is fixed"),
    };

    private static string TypeName(WireAgent.Call.Types.Type type) =>
        WireAgent.Call.Descriptor.FindFieldByNumber(WireAgent.Call.TypeFieldNumber).EnumType.FindValueByNumber((int)type)?.Name ?? type.ToString();

    /// <summary>
    /// Mesos' <c>slave/*</c> metrics: gauges computed from the tasks and executors the agent holds now, and the counters
    /// of tasks that ended since the agent started.
    /// </summary>
    public IReadOnlyList<(string Name, double Value)> Metrics()
    {
        var (tasks, executorsRunning, frameworks, registered) = core.Read(snapshot =>
        {
            var states = snapshot.Frameworks.SelectMany(f => f.Executors.Values).Select(e => (e.Task.LatestState, e.Task.Info.Resources))
                .Concat(snapshot.Frameworks.SelectMany(f => f.CompletedExecutors).Select(e => (e.Task.LatestState, e.Task.Info.Resources)))
                .ToList();
            var running = snapshot.Frameworks.Sum(f => f.Executors.Count);
            return (states, running, snapshot.Frameworks.Count, snapshot.AgentId is not null);
        });
        foreach (var custom in core.Executors.All())
        {
            tasks.AddRange(custom.Tasks().Select(t => (t.LatestState ?? V1.TaskState.TaskStaging, t.Info.Resources)));
            executorsRunning++;
        }

        var total = core.Options.Resources;
        var used = tasks.Where(t => !CommandExecutor.IsTerminal(t.Item1))
            .SelectMany(t => t.Item2.Where(r => r.Scalar is not null))
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Scalar.Value), StringComparer.Ordinal);

        var metrics = new List<(string, double)>
        {
            ("slave/uptime_secs", (time.GetUtcNow() - _started).TotalSeconds),
            ("slave/registered", registered ? 1 : 0),
            ("slave/frameworks_active", frameworks),
            ("slave/executors_running", executorsRunning),
        };
        foreach (var name in new[] { "cpus", "gpus", "mem", "disk" })
        {
            var totalOf = total.Scalar(name).ToDouble();
            var usedOf = used.GetValueOrDefault(name);
            metrics.Add(($"slave/{name}_total", totalOf));
            metrics.Add(($"slave/{name}_used", usedOf));
            metrics.Add(($"slave/{name}_percent", totalOf > 0 ? usedOf / totalOf : 0));
        }

        foreach (var (state, name) in new[]
                 {
                     (V1.TaskState.TaskStaging, "staging"), (V1.TaskState.TaskStarting, "starting"), (V1.TaskState.TaskRunning, "running"),
                     (V1.TaskState.TaskKilling, "killing"),
                 })
        {
            metrics.Add(($"slave/tasks_{name}", tasks.Count(t => t.Item1 == state)));
        }

        foreach (var (state, name) in TerminalTaskCounters.Counted)
        {
            metrics.Add(($"slave/tasks_{name}", core.TaskCounters.Count(state)));
        }

        return metrics;
    }

    private static WireAgent.Response Version() => new()
    {
        Type = WireAgent.Response.Types.Type.GetVersion,
        GetVersion = new() { VersionInfo = new() { Version = AgentCore.Version, BuildDate = string.Empty, BuildTime = 0, BuildUser = string.Empty } },
    };

    private WireAgent.Response Flags()
    {
        var flags = new WireAgent.Response.Types.GetFlags();
        flags.Flags.AddRange(StateJson.FlagValues(core.Options)
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new Wire.Flag { Name = f.Key, Value = f.Value }));
        return new() { Type = WireAgent.Response.Types.Type.GetFlags, GetFlags = flags };
    }

    private WireAgent.Response MetricsResponse()
    {
        var metrics = new WireAgent.Response.Types.GetMetrics();
        metrics.Metrics.AddRange(Metrics().Select(m => new Wire.Metric { Name = m.Name, Value = m.Value }));
        return new() { Type = WireAgent.Response.Types.Type.GetMetrics, GetMetrics = metrics };
    }

    private WireAgent.Response ListFiles(string path)
    {
        var access = Resolve(path);
        var list = new WireAgent.Response.Types.ListFiles();
        list.FileInfos.AddRange(FileContents.List(access).Select(e => e.ToWire()));
        return new() { Type = WireAgent.Response.Types.Type.ListFiles, ListFiles = list };
    }

    private WireAgent.Response ReadFile(WireAgent.Call.Types.ReadFile read)
    {
        var access = Resolve(read.Path);
        if (Directory.Exists(access.RealPath))
        {
            throw ApiCallError.BadRequest("Cannot read a directory.\n");
        }

        var offset = (long)Math.Min(read.Offset, long.MaxValue);
        var (size, data) = FileContents.Read(access.RealPath!, offset, read.HasLength ? (long)Math.Min(read.Length, long.MaxValue) : null);
        return new()
        {
            Type = WireAgent.Response.Types.Type.ReadFile,
            ReadFile = new() { Size = (ulong)size, Data = Google.Protobuf.ByteString.CopyFrom(data) },
        };
    }

    /// <summary>Mesos' FilesError: invalid 400, unauthorized 403, not found 404.</summary>
    private PathAccess Resolve(string path)
    {
        var access = files.Resolve(path);
        return access.Allowed ? access : throw new ApiCallError(access.StatusCode, access.Error ?? string.Empty);
    }

    /// <summary>
    /// Mesos' GET_CONTAINERS: each executor's container (a default executor's once, holding its tasks); with
    /// <c>show_nested</c>, then the task containers nested in them, which carry no framework or executor, only their
    /// id, and in their status the id with its parent's, as Mesos' containerizer reports it.
    /// </summary>
    private WireAgent.Response Containers(bool showNested)
    {
        var containers = new WireAgent.Response.Types.GetContainers();
        var (executors, nested) = MonitorStatistics.Measure(core, time);
        foreach (var usage in executors)
        {
            containers.Containers.Add(new WireAgent.Response.Types.GetContainers.Types.Container
            {
                FrameworkId = new Wire.FrameworkID { Value = usage.FrameworkId },
                ExecutorId = new Wire.ExecutorID { Value = usage.ExecutorId },
                ExecutorName = usage.ExecutorName,
                ContainerId = new Wire.ContainerID { Value = usage.ContainerId },
                ContainerStatus = new Wire.ContainerStatus { ContainerId = new Wire.ContainerID { Value = usage.ContainerId } },
                ResourceStatistics = ToWire(usage.ResourceStatistics),
            });
        }

        if (showNested)
        {
            foreach (var task in nested)
            {
                containers.Containers.Add(new WireAgent.Response.Types.GetContainers.Types.Container
                {
                    ContainerId = new Wire.ContainerID { Value = task.ContainerId },
                    ContainerStatus = new Wire.ContainerStatus
                    {
                        ContainerId = new Wire.ContainerID { Value = task.ContainerId, Parent = new Wire.ContainerID { Value = task.ParentContainerId } },
                    },
                    ResourceStatistics = ToWire(task.Statistics),
                });
            }
        }

        return new() { Type = WireAgent.Response.Types.Type.GetContainers, GetContainers = containers };
    }

    // The agent's own ResourceStatistics carries Mesos' field numbers, so its bytes are the wire message's.
    private static Wire.ResourceStatistics ToWire(V1.ResourceStatistics statistics) => Wire.ResourceStatistics.Parser.ParseFrom(statistics.ToByteString());

    private static WireAgent.Response.Types.GetFrameworks Frameworks(AgentSnapshot snapshot)
    {
        var frameworks = new WireAgent.Response.Types.GetFrameworks();
        frameworks.Frameworks.AddRange(snapshot.Frameworks.Select(f => new WireAgent.Response.Types.GetFrameworks.Types.Framework { FrameworkInfo = ExecutorWire.ToWire(f.Info) }));
        frameworks.CompletedFrameworks.AddRange(snapshot.CompletedFrameworks.Select(f => new WireAgent.Response.Types.GetFrameworks.Types.Framework { FrameworkInfo = ExecutorWire.ToWire(f.Info) }));
        return frameworks;
    }

    private WireAgent.Response.Types.GetExecutors Executors(AgentSnapshot snapshot)
    {
        static WireAgent.Response.Types.GetExecutors.Types.Executor Of(Wire.ExecutorInfo info) => new() { ExecutorInfo = info };
        var executors = new WireAgent.Response.Types.GetExecutors();
        executors.Executors.AddRange(snapshot.Frameworks.SelectMany(f => f.Executors.Values).Where(e => e.DefaultExecutor is null).Select(e => Of(CommandExecutorInfo(e))));
        executors.Executors.AddRange(snapshot.Frameworks.SelectMany(f => f.DefaultExecutors.Values).Select(run => Of(DefaultExecutorInfo(run))));
        executors.Executors.AddRange(core.Executors.All().Select(e => Of(ExecutorWire.ToWire(e.Info))));
        foreach (var framework in snapshot.Frameworks.Concat(snapshot.CompletedFrameworks))
        {
            executors.CompletedExecutors.AddRange(framework.CompletedExecutors.Where(e => e.DefaultExecutor is null).Select(e => Of(CommandExecutorInfo(e))));
            executors.CompletedExecutors.AddRange(framework.CompletedDefaultExecutors().Select(run => Of(DefaultExecutorInfo(run))));
        }

        return executors;
    }

    private WireAgent.Response.Types.GetTasks Tasks(AgentSnapshot snapshot)
    {
        var agentId = snapshot.AgentId ?? string.Empty;
        var tasks = new WireAgent.Response.Types.GetTasks();
        foreach (var entry in snapshot.Frameworks.SelectMany(f => f.Executors.Values))
        {
            var task = ToWire(entry, agentId);
            (CommandExecutor.IsTerminal(entry.Task.LatestState) ? tasks.TerminatedTasks : tasks.LaunchedTasks).Add(task);
        }

        foreach (var executor in core.Executors.All())
        {
            foreach (var (info, launched, latest) in executor.Tasks())
            {
                var state = latest ?? V1.TaskState.TaskStaging;
                var task = ToWire(info, executor.FrameworkId, executor.ExecutorId, agentId, state, []);
                (!launched ? tasks.QueuedTasks : CommandExecutor.IsTerminal(state) ? tasks.TerminatedTasks : tasks.LaunchedTasks).Add(task);
            }
        }

        tasks.CompletedTasks.AddRange(snapshot.Frameworks.Concat(snapshot.CompletedFrameworks)
            .SelectMany(f => f.CompletedExecutors)
            .Select(e => ToWire(e, agentId)));
        return tasks;
    }

    private Wire.AgentInfo AgentInfo()
    {
        var info = ExecutorWire.ToWire(core.AgentId ?? string.Empty, core.Hostname, core.HttpPort, WireForm.Of(core.Options.Resources));
        info.Attributes.AddRange(WireForm.Of(core.Options.Attributes).Select(ExecutorWire.ToWire));
        return info;
    }

    /// <summary>A default executor as the framework gave it (type DEFAULT, its name and resources), with its framework id.</summary>
    private static Wire.ExecutorInfo DefaultExecutorInfo(DefaultExecutorRun run)
    {
        var info = ExecutorWire.ToWire(run.Info);
        info.Type = Wire.ExecutorInfo.Types.Type.Default;
        info.FrameworkId = new Wire.FrameworkID { Value = run.FrameworkId };
        if (info.Command is { HasValue: false } or { Value.Length: 0 })
        {
            // A DEFAULT executor comes without a command; this agent runs its tasks itself.
            info.Command = null;
        }

        return info;
    }

    /// <summary>The built-in command executor as Mesos' agent describes it: named after the task it runs.</summary>
    private static Wire.ExecutorInfo CommandExecutorInfo(ExecutorEntry entry)
    {
        var task = entry.Task.Info;
        var info = new Wire.ExecutorInfo
        {
            ExecutorId = new Wire.ExecutorID { Value = entry.ExecutorId },
            FrameworkId = new Wire.FrameworkID { Value = entry.FrameworkId },
            Name = $"Command Executor (Task: {task.TaskId}) (Command: sh -c '{task.Command?.Value}')",
#pragma warning disable CS0612 // Mesos' command executor still reports the task it runs as its source.
            Source = task.TaskId,
#pragma warning restore CS0612
        };
        info.Resources.AddRange(task.Resources.Select(ExecutorWire.ToWire));
        return info;
    }

    /// <summary>A task of a group names its default executor, as the TaskInfo Mesos' master sends carries it; a command task has none.</summary>
    private static Wire.Task ToWire(ExecutorEntry entry, string agentId)
    {
        var task = entry.Task;
        var executorId = task.Info.Executor is null && entry.DefaultExecutor is null ? null : task.ExecutorId;
        return ToWire(task.Info, task.FrameworkId, executorId, agentId, task.LatestState, task.Statuses);
    }

    private static Wire.Task ToWire(V1.TaskInfo info, string frameworkId, string? executorId, string agentId, V1.TaskState state, IEnumerable<V1.TaskStatus> statuses)
    {
        var task = new Wire.Task
        {
            Name = info.Name,
            TaskId = new Wire.TaskID { Value = info.TaskId },
            FrameworkId = new Wire.FrameworkID { Value = frameworkId },
            AgentId = new Wire.AgentID { Value = agentId },
            State = (Wire.TaskState)(int)state,
        };
        if (executorId is not null)
        {
            task.ExecutorId = new Wire.ExecutorID { Value = executorId };
        }

        task.Resources.AddRange(info.Resources.Select(ExecutorWire.ToWire));
        task.Statuses.AddRange(statuses.Select(s => ToWire(s, agentId)));
        if (info.KillPolicy is { } policy)
        {
            task.KillPolicy = ExecutorWire.ToWire(policy);
        }

        return task;
    }

    private static Wire.TaskStatus ToWire(V1.TaskStatus status, string agentId)
    {
        var wire = new Wire.TaskStatus
        {
            TaskId = new Wire.TaskID { Value = status.TaskId },
            State = (Wire.TaskState)(int)status.State,
            Source = (Wire.TaskStatus.Types.Source)(int)status.Source,
            AgentId = new Wire.AgentID { Value = status.AgentId.Length > 0 ? status.AgentId : agentId },
            Timestamp = status.Timestamp,
        };
        if (status.Message.Length > 0)
        {
            wire.Message = status.Message;
        }

        if (status.HasReason)
        {
            wire.Reason = (Wire.TaskStatus.Types.Reason)(int)status.Reason;
        }

        if (status.ExecutorId.Length > 0)
        {
            wire.ExecutorId = new Wire.ExecutorID { Value = status.ExecutorId };
        }

        if (!status.Uuid.IsEmpty)
        {
            wire.Uuid = status.Uuid;
        }

        if (status.HasHealthy)
        {
            wire.Healthy = status.Healthy;
        }

        return wire;
    }
}
