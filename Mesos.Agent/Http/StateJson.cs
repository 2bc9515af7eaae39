using System.Globalization;
using System.Text.Json.Nodes;
using Mesos.Agent.Configuration;
using Mesos.Agent.State;
using Mesos.Core.Attributes;
using Mesos.Core.Resources;
using Mesos.Hosting.Flags;
using Proto = Mesos.Protocol.V1;

namespace Mesos.Agent.Http;

/// <summary>The agent's <c>/state</c> and <c>/flags</c> in Mesos' legacy JSON shape (a subset of its fields).</summary>
internal static class StateJson
{
    public static JsonObject State(AgentSnapshot snapshot, AgentCore core, DateTimeOffset startTime)
    {
        var options = core.Options;
        var ip = options.Ip ?? "127.0.0.1";
        return new JsonObject
        {
            ["version"] = AgentCore.Version,
            ["id"] = snapshot.AgentId ?? string.Empty,
            ["pid"] = $"slave(1)@{ip}:{core.HttpPort}",
            ["hostname"] = core.Hostname,
            ["port"] = core.HttpPort,
            ["start_time"] = startTime.ToUnixTimeMilliseconds() / 1000.0,
            ["resources"] = Resources(options.Resources),
            ["unreserved_resources"] = Resources(options.Resources.Unreserved()),
            ["reserved_resources_full"] = ReservedFull(options.Resources, core.CheckpointedResources),
            ["attributes"] = Attributes(options.Attributes),
            ["master_hostname"] = snapshot.Master is { } master ? master[..master.LastIndexOf(':')] : null,
            ["flags"] = FlagsObject(options),
            ["frameworks"] = new JsonArray(snapshot.Frameworks.Select(Framework).ToArray<JsonNode?>()),
            ["completed_frameworks"] = new JsonArray(snapshot.CompletedFrameworks.Select(Framework).ToArray<JsonNode?>()),
        };
    }

    private static readonly Google.Protobuf.JsonFormatter Formatter = new(Google.Protobuf.JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    /// <summary>
    /// Mesos' <c>reserved_resources_full</c>: by role, the static reservations of <c>--resources</c> and what the master
    /// checkpointed here (dynamic reservations, persistent volumes with their <c>disk</c>), as full Resources.
    /// </summary>
    private static JsonObject ReservedFull(ResourceSet statics, IReadOnlyList<Proto.Resource> checkpointed)
    {
        var json = new JsonObject();
        var all = Protocol.Mapping.WireForm.Of(statics.Filter(r => r.IsReserved && !r.IsDynamicallyReserved)).Concat(checkpointed);
        foreach (var group in all.GroupBy(r => r.Reservations.Count > 0 ? r.Reservations[^1].Role : r.Role, StringComparer.Ordinal))
        {
            json[group.Key] = new JsonArray([.. group.Select(r => JsonNode.Parse(Formatter.Format(r)))]);
        }

        return json;
    }

    public static JsonObject Flags(AgentOptions options) => new() { ["flags"] = FlagsObject(options) };

    /// <summary>The flags as given, or for an agent built in code (tests, `mesos local`) the options they would be.</summary>
    public static IReadOnlyDictionary<string, string> FlagValues(AgentOptions options) =>
        options.Flags ?? new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["master"] = string.Join(",", options.Masters),
            ["port"] = options.Port.ToString(CultureInfo.InvariantCulture),
            ["work_dir"] = options.WorkDir,
            ["resources"] = options.Resources.ToString(),
            ["attributes"] = options.Attributes.ToString(),
            ["executor_shutdown_grace_period"] = MesosDuration.Format(options.ExecutorShutdownGracePeriod),
            ["registration_backoff_factor"] = MesosDuration.Format(options.RegistrationBackoffFactor),
        };

    private static JsonObject FlagsObject(AgentOptions options)
    {
        var json = new JsonObject();
        foreach (var (name, value) in FlagValues(options).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            json[name] = value;
        }

        return json;
    }

    private static JsonObject Framework(FrameworkEntry framework)
    {
        var info = framework.Info;
        return new JsonObject
        {
            ["id"] = info.Id,
            ["name"] = info.Name,
            ["user"] = info.User,
            ["hostname"] = info.Hostname,
            ["principal"] = info.Principal.Length > 0 ? info.Principal : null,
            ["roles"] = new JsonArray(info.Roles.Select(r => (JsonNode?)r).ToArray()),
            ["role"] = info.Roles.Count > 0 ? info.Roles[0] : "*",
            ["checkpoint"] = info.Checkpoint,
            ["failover_timeout"] = info.FailoverTimeout,
            ["capabilities"] = new JsonArray(info.Capabilities.Select(c => (JsonNode?)ProtoEnumNames.Of(c)).ToArray()),
            ["executors"] = new JsonArray(framework.Executors.Values.Where(e => e.DefaultExecutor is null).Select(e => Executor(e, completed: false))
                .Concat(framework.DefaultExecutors.Values.Select(run => DefaultExecutor(framework, run, completed: false)))
                .ToArray<JsonNode?>()),
            ["completed_executors"] = new JsonArray(framework.CompletedExecutors.Where(e => e.DefaultExecutor is null).Select(e => Executor(e, completed: true))
                .Concat(framework.CompletedDefaultExecutors().Select(run => DefaultExecutor(framework, run, completed: true)))
                .ToArray<JsonNode?>()),
        };
    }

    /// <summary>
    /// A default executor as Mesos' ExecutorWriter shows it: one executor (type DEFAULT) holding the tasks of its groups,
    /// the <c>role</c> its resources are allocated to after them (<c>framework_id</c> is kept for this project's tools).
    /// </summary>
    private static JsonObject DefaultExecutor(FrameworkEntry framework, DefaultExecutorRun run, bool completed)
    {
        var done = framework.CompletedExecutors.Where(e => e.DefaultExecutor == run).ToList();
        var live = run.Tasks.Where(e => !Terminal(e.Task.LatestState)).ToList();
        var tasks = new JsonArray(live.Select(e => (JsonNode?)Task(e)).ToArray());
        var completedTasks = new JsonArray(done.Concat(run.Tasks.Except(live)).Select(e => (JsonNode?)Task(e)).ToArray());
        // As Mesos' agent: an executor's resources are its own and its live tasks'.
        var resources = Resources(run.Info.Resources.Concat(live.SelectMany(e => e.Task.Info.Resources)));
        var json = new JsonObject
        {
            ["id"] = run.ExecutorId,
            ["name"] = run.Info.Name,
            ["source"] = string.Empty,
            ["container"] = run.ContainerId,
            ["directory"] = run.Directory,
            ["framework_id"] = run.FrameworkId,
            ["resources"] = completed ? Resources(run.Info.Resources) : resources,
            ["role"] = Role(run.Info.Resources, framework.Info),
            ["type"] = "DEFAULT",
            ["tasks"] = tasks,
            ["queued_tasks"] = new JsonArray(),
            ["completed_tasks"] = completedTasks,
        };
        if (json["role"] is null)
        {
            // Mesos writes the role only for an executor with resources.
            json.Remove("role");
        }

        return json;
    }

    private static JsonObject Executor(ExecutorEntry entry, bool completed)
    {
        var task = entry.Task;
        var command = task.Info.Command?.Value ?? string.Empty;
        var tasks = new JsonArray();
        var completedTasks = new JsonArray();
        (completed || Terminal(task.LatestState) ? completedTasks : tasks).Add(Task(entry));
        return new JsonObject
        {
            ["id"] = entry.ExecutorId,
            ["name"] = $"Command Executor (Task: {task.Info.TaskId}) (Command: sh -c '{command}')",
            ["source"] = task.Info.TaskId,
            ["container"] = entry.Executor.ContainerId,
            ["directory"] = entry.Executor.Directory,
            ["framework_id"] = entry.FrameworkId,
            ["resources"] = Resources(task.Info.Resources),
            ["tasks"] = tasks,
            ["queued_tasks"] = new JsonArray(),
            ["completed_tasks"] = completedTasks,
        };
    }

    private static JsonObject Task(ExecutorEntry entry)
    {
        var task = entry.Task;
        var json = new JsonObject
        {
            ["id"] = task.Info.TaskId,
            ["name"] = task.Info.Name,
            ["framework_id"] = task.FrameworkId,
            ["executor_id"] = task.ExecutorId,
            ["slave_id"] = entry.Executor.Launch.AgentId,
            ["state"] = StateName(task.LatestState),
            ["resources"] = Resources(task.Info.Resources),
            ["role"] = Role(task.Info.Resources, entry.Executor.Launch.Framework),
            ["statuses"] = new JsonArray(task.Statuses.Select(s => (JsonNode?)new JsonObject
            {
                ["state"] = StateName(s.State),
                ["timestamp"] = s.Timestamp,
                ["message"] = s.Message.Length > 0 ? s.Message : null,
                ["healthy"] = s.HasHealthy ? s.Healthy : null,
            }).ToArray()),
        };
        if (json["role"] is null)
        {
            json.Remove("role");
        }

        return json;
    }

    /// <summary>
    /// The role the first resource is allocated to, as Mesos writes it (all of an executor's or task's share one); null
    /// when there are none. The master names it in the resources it sends, else it is the framework's one role; a
    /// framework in several roles that did not say which has none to show.
    /// </summary>
    private static string? Role(IEnumerable<Proto.Resource> resources, Proto.FrameworkInfo framework)
    {
        if (resources.FirstOrDefault() is not { } first)
        {
            return null;
        }

        if (first.AllocationInfo is { Role.Length: > 0 } allocation)
        {
            return allocation.Role;
        }

        return framework.Roles.Count switch
        {
            0 => "*",
            1 => framework.Roles[0],
            _ => null,
        };
    }

    private static bool Terminal(Proto.TaskState state) => Mesos.Agent.Executor.CommandExecutor.IsTerminal(state);

    private static string StateName(Proto.TaskState state) => ProtoEnumNames.Of(state);

    /// <summary>Mesos' resource map: scalars as numbers summed over roles, ranges and sets in their text form.</summary>
    private static JsonObject Resources(ResourceSet resources)
    {
        var json = new JsonObject();
        foreach (var group in resources.Entries.GroupBy(r => r.Name, StringComparer.Ordinal))
        {
            var first = group.First();
            json[group.Key] = first.Kind switch
            {
                ResourceKind.Scalar => group.Aggregate(ScalarValue.Zero, (sum, r) => sum + r.Scalar).ToDouble(),
                ResourceKind.Ranges => group.Aggregate(RangeSet.Empty, (all, r) => all.Union(r.Ranges)).ToString(),
                _ => group.Aggregate(ItemSet.Empty, (all, r) => all.Union(r.Items)).ToString(),
            };
        }

        return json;
    }

    private static JsonObject Resources(IEnumerable<Proto.Resource> resources)
    {
        var json = new JsonObject();
        foreach (var resource in resources)
        {
            json[resource.Name] = resource.Type switch
            {
                Proto.Value.Types.Type.Scalar => (json[resource.Name]?.GetValue<double>() ?? 0) + (resource.Scalar?.Value ?? 0),
                Proto.Value.Types.Type.Ranges => "[" + string.Join(",", resource.Ranges?.Range.Select(r => $"{r.Begin}-{r.End}") ?? []) + "]",
                _ => "{" + string.Join(",", resource.Set?.Item ?? []) + "}",
            };
        }

        return json;
    }

    private static JsonObject Attributes(AgentAttributes attributes)
    {
        var json = new JsonObject();
        foreach (var attribute in attributes.Items)
        {
            json[attribute.Name] = attribute.Kind == AttributeKind.Scalar ? attribute.Scalar.ToDouble() : attribute.ValueText;
        }

        return json;
    }
}
