using System.Globalization;
using System.Text.Json;
using Mesos.Core.Agents;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Master.Api.Http.Operator;
using Mesos.Master.Loop;
using static Mesos.Master.Api.Grpc.ProtoMapping;
using static Mesos.Master.Api.Http.SchedulerEventJson;

namespace Mesos.Master.Api.Http.Legacy;

/// <summary>
/// Mesos' legacy JSON (src/master/http.cpp, src/common/http.cpp): <c>slaves</c> and <c>slave_id</c>, summarised
/// resources, attributes as <c>{name: value}</c>, times as float seconds. A few fields beyond Mesos' (<c>state</c>
/// of agents and frameworks, <c>log_position</c>, <c>state_hash</c>) are for this project's web UI and tools;
/// clients that follow Mesos ignore them.
/// </summary>
public static class LegacyJson
{
    public static void WriteState(Utf8JsonWriter json, ClusterSnapshot snapshot, MasterRuntime runtime, string? cluster, IEnumerable<(string Name, string? Value)> flags)
    {
        var state = snapshot.State;
        var master = state.Master;
        json.WriteStartObject();
        json.WriteString("version", MasterEndpoints.Version);
        json.WriteString("build_date", string.Empty);
        WriteDouble(json, "build_time", 0);
        json.WriteString("build_user", string.Empty);
        WriteDouble(json, "start_time", Seconds(runtime.StartedAt));
        if (runtime.ElectedAt is { } elected)
        {
            WriteDouble(json, "elected_time", Seconds(elected));
        }

        if (master is not null)
        {
            json.WriteString("id", master.Id);
            json.WriteString("pid", $"master@{master.Ip}:{master.Port}");
            json.WriteString("hostname", master.Hostname);
            json.WriteString("leader", $"master@{master.Ip}:{master.Port}");
            WriteMasterInfo(json, Grpc.ProtoMapping.ToWire(master), "leader_info");
        }

        json.WriteStartArray("capabilities");
        json.WriteEndArray();
        json.WriteNumber("activated_slaves", state.Agents.Values.Count(a => a.Status is AgentStatus.Active or AgentStatus.Disconnected));
        json.WriteNumber("deactivated_slaves", 0);
        json.WriteNumber("unreachable_slaves", state.Agents.Values.Count(a => a.Status == AgentStatus.Unreachable));
        if (cluster is not null)
        {
            json.WriteString("cluster", cluster);
        }

        if (flags.FirstOrDefault(f => f.Name == "log_dir").Value is { Length: > 0 } logDir)
        {
            json.WriteString("log_dir", logDir);
        }

        json.WriteStartObject("flags");
        foreach (var (name, value) in flags)
        {
            if (value is not null)
            {
                json.WriteString(name, value);
            }
        }

        json.WriteEndObject();
        json.WriteNumber("log_position", snapshot.Position);
        json.WriteString("state_hash", snapshot.Hash);
        WriteSlaves(json, state);
        json.WriteStartArray("recovered_slaves");
        json.WriteEndArray();
        WriteFrameworks(json, state);
        json.WriteStartArray("orphan_tasks");
        json.WriteEndArray();
        json.WriteStartArray("unregistered_frameworks");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Mesos' <c>/master/state-summary</c> (<c>ReadOnlyHandler::stateSummary</c>): the registered agents and frameworks
    /// in their summary form, each with how many of its tasks are in each state and which frameworks (agents) they
    /// share. As Mesos, the counts and the pairs come from the registered frameworks' tasks, active and completed.
    /// </summary>
    public static void WriteStateSummary(Utf8JsonWriter json, ClusterState state, string? cluster)
    {
        var bySlave = new Dictionary<AgentId, TaskCounts>();
        var byFramework = new Dictionary<FrameworkId, TaskCounts>();
        var frameworksOn = new Dictionary<AgentId, SortedSet<string>>();
        var slavesOf = new Dictionary<FrameworkId, SortedSet<string>>();
        foreach (var framework in state.Frameworks.Values)
        {
            foreach (var task in state.TasksOf(framework.Id).Concat(framework.CompletedTasks))
            {
                Counts(bySlave, task.AgentId).Add(task.State);
                Counts(byFramework, framework.Id).Add(task.State);
                Set(frameworksOn, task.AgentId).Add(framework.Id.Value);
                Set(slavesOf, framework.Id).Add(task.AgentId.Value);
            }
        }

        json.WriteStartObject();
        json.WriteString("hostname", state.Master?.Hostname ?? string.Empty);
        if (cluster is not null)
        {
            json.WriteString("cluster", cluster);
        }

        json.WriteStartArray("slaves");
        foreach (var agent in state.Agents.Values.Where(a => a.Status is AgentStatus.Active or AgentStatus.Disconnected))
        {
            WriteSlave(json, agent, full: false, close: false);
            bySlave.GetValueOrDefault(agent.Id, TaskCounts.None).Write(json);
            WriteIds(json, "framework_ids", frameworksOn.GetValueOrDefault(agent.Id));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("frameworks");
        foreach (var framework in state.Frameworks.Values)
        {
            var info = framework.Info;
            var active = framework.Status == FrameworkStatus.Active;
            json.WriteStartObject();
            json.WriteString("id", framework.Id.Value);
            json.WriteString("name", info.Name);
            WriteSummary(json, "used_resources", framework.Used);
            WriteSummary(json, "offered_resources", framework.Offered);
            json.WriteStartArray("capabilities");
            foreach (var capability in info.Capabilities)
            {
                json.WriteStringValue(V1Json.CapabilityName(capability));
            }

            json.WriteEndArray();
            json.WriteString("hostname", info.Hostname);
            json.WriteString("webui_url", info.WebUiUrl);
            json.WriteBoolean("active", active);
            json.WriteBoolean("connected", active);
            json.WriteBoolean("recovered", false);
            byFramework.GetValueOrDefault(framework.Id, TaskCounts.None).Write(json);
            WriteIds(json, "slave_ids", slavesOf.GetValueOrDefault(framework.Id));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        static TaskCounts Counts<TKey>(Dictionary<TKey, TaskCounts> counts, TKey key)
            where TKey : notnull
        {
            if (!counts.TryGetValue(key, out var value))
            {
                value = new TaskCounts();
                counts[key] = value;
            }

            return value;
        }

        static SortedSet<string> Set<TKey>(Dictionary<TKey, SortedSet<string>> sets, TKey key)
            where TKey : notnull
        {
            if (!sets.TryGetValue(key, out var value))
            {
                value = new SortedSet<string>(StringComparer.Ordinal);
                sets[key] = value;
            }

            return value;
        }

        static void WriteIds(Utf8JsonWriter json, string name, SortedSet<string>? ids)
        {
            json.WriteStartArray(name);
            foreach (var id in ids ?? [])
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
        }
    }

    /// <summary>The <c>slaves</c> array: agents the master has registered (unreachable ones are not among them).</summary>
    public static void WriteSlaves(Utf8JsonWriter json, ClusterState state, string? onlyId = null, bool full = false)
    {
        json.WriteStartArray("slaves");
        foreach (var agent in state.Agents.Values)
        {
            if (agent.Status is AgentStatus.Unreachable or AgentStatus.Removed || (onlyId is not null && agent.Id.Value != onlyId))
            {
                continue;
            }

            WriteSlave(json, agent, full);
        }

        json.WriteEndArray();
    }

    public static void WriteSlave(Utf8JsonWriter json, AgentState agent, bool full) => WriteSlave(json, agent, full, close: true);

    /// <summary>A slave object; left open with <paramref name="close"/> false, for the caller to add fields (state-summary's counts).</summary>
    private static void WriteSlave(Utf8JsonWriter json, AgentState agent, bool full, bool close)
    {
        json.WriteStartObject();
        json.WriteString("id", agent.Id.Value);
        json.WriteString("pid", $"slave(1)@{agent.Info.Hostname}:{agent.Info.Port}");
        json.WriteString("hostname", agent.Info.Hostname);
        json.WriteNumber("port", agent.Info.Port);
        WriteDouble(json, "registered_time", Seconds(agent.RegisteredAt));
        if (agent.ReregisteredAt is { } reregistered)
        {
            WriteDouble(json, "reregistered_time", Seconds(reregistered));
        }

        WriteSummary(json, "resources", agent.Info.Resources);
        WriteSummary(json, "used_resources", agent.Used);
        WriteSummary(json, "offered_resources", agent.Offered);
        json.WriteStartObject("reserved_resources");
        foreach (var role in agent.Info.Resources.Entries.Where(r => r.IsReserved).Select(r => r.Role).Distinct())
        {
            WriteSummary(json, role, agent.Info.Resources.ReservedFor(role));
        }

        json.WriteEndObject();
        WriteSummary(json, "unreserved_resources", agent.Info.Resources.Unreserved());
        json.WriteStartObject("attributes");
        foreach (var attribute in agent.Info.Attributes.Items)
        {
            WriteAttributeValue(json, attribute);
        }

        json.WriteEndObject();
        json.WriteBoolean("active", agent.Offerable);
        json.WriteBoolean("deactivated", agent.Deactivated);
        json.WriteString("version", MasterEndpoints.Version);
        json.WriteStartArray("capabilities");
        json.WriteEndArray();
        if (agent.Drain is { } drain)
        {
            V1Json.WriteDrainInfo(json, drain);
            WriteDouble(json, "estimated_drain_start_time_seconds", Seconds(drain.StartedAt));
        }

        json.WriteString("state", agent.Status.ToString().ToUpperInvariant());
        if (full)
        {
            // Mesos: an object by role, each the role's reservations (static and dynamic) as full Resources.
            json.WriteStartObject("reserved_resources_full");
            foreach (var role in agent.Info.Resources.Entries.Where(r => r.IsReserved).Select(r => r.Role).Distinct())
            {
                json.WriteStartArray(role);
                foreach (var resource in ToWire(agent.Info.Resources.ReservedFor(role)))
                {
                    WriteResource(json, resource);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            V1Json.WriteResources(json, "unreserved_resources_full", agent.Info.Resources.Unreserved());
            V1Json.WriteResources(json, "used_resources_full", agent.Used);
            V1Json.WriteResources(json, "offered_resources_full", agent.Offered);
        }

        if (close)
        {
            json.WriteEndObject();
        }
    }

    /// <summary>Scalar attributes are numbers, the others text (<c>"[1-3]"</c>, <c>"{a,b}"</c>), as Mesos writes them.</summary>
    private static void WriteAttributeValue(Utf8JsonWriter json, Core.Attributes.AgentAttribute attribute)
    {
        if (attribute.Kind == Core.Attributes.AttributeKind.Scalar)
        {
            WriteDouble(json, attribute.Name, attribute.Scalar.ToDouble());
        }
        else
        {
            json.WriteString(attribute.Name, attribute.ValueText);
        }
    }

    public static void WriteFrameworks(Utf8JsonWriter json, ClusterState state, string? onlyId = null)
    {
        json.WriteStartArray("frameworks");
        foreach (var framework in state.Frameworks.Values.Where(f => onlyId is null || f.Id.Value == onlyId))
        {
            WriteFramework(json, state, framework, completed: false);
        }

        json.WriteEndArray();
        json.WriteStartArray("completed_frameworks");
        foreach (var framework in state.CompletedFrameworks.Where(f => onlyId is null || f.Id.Value == onlyId))
        {
            WriteFramework(json, state, framework, completed: true);
        }

        json.WriteEndArray();
    }

    public static void WriteFramework(Utf8JsonWriter json, ClusterState state, FrameworkState framework, bool completed)
    {
        var info = framework.Info;
        json.WriteStartObject();
        json.WriteString("id", framework.Id.Value);
        json.WriteString("name", info.Name);
        json.WriteString("hostname", info.Hostname);
        json.WriteString("webui_url", info.WebUiUrl);
        json.WriteString("user", info.User);
        WriteDouble(json, "failover_timeout", info.FailoverTimeoutSeconds);
        json.WriteBoolean("checkpoint", info.Checkpoint);
        if (info.Principal.Length > 0)
        {
            json.WriteString("principal", info.Principal);
        }

        json.WriteStartArray("capabilities");
        foreach (var capability in info.Capabilities)
        {
            json.WriteStringValue(V1Json.CapabilityName(capability));
        }

        json.WriteEndArray();
        if (!info.Has(FrameworkCapability.MultiRole))
        {
            json.WriteString("role", info.Roles.Count > 0 ? info.Roles[0] : "*");
        }

        // Mesos writes `roles` for MULTI_ROLE frameworks only; the web UI reads it for every framework.
        json.WriteStartArray("roles");
        foreach (var role in info.Roles)
        {
            json.WriteStringValue(role);
        }

        json.WriteEndArray();
        var active = framework.Status == FrameworkStatus.Active && !completed;
        json.WriteBoolean("active", active);
        json.WriteBoolean("connected", active);
        json.WriteBoolean("recovered", false);
        json.WriteString("state", completed ? "REMOVED" : framework.Status.ToString().ToUpperInvariant());
        WriteDouble(json, "registered_time", Seconds(framework.RegisteredAt));
        WriteDouble(json, "unregistered_time", Seconds(framework.DisconnectedAt));
        if (framework.ReregisteredAt is { } reregistered)
        {
            WriteDouble(json, "reregistered_time", Seconds(reregistered));
        }

        WriteSummary(json, "resources", framework.Used);
        WriteSummary(json, "used_resources", framework.Used);
        WriteSummary(json, "offered_resources", framework.Offered);

        var tasks = completed ? [] : state.TasksOf(framework.Id).ToList();
        json.WriteStartArray("tasks");
        foreach (var task in tasks.Where(t => t.State != TaskState.Unreachable))
        {
            WriteTask(json, task);
        }

        json.WriteEndArray();
        json.WriteStartArray("unreachable_tasks");
        foreach (var task in tasks.Where(t => t.State == TaskState.Unreachable))
        {
            WriteTask(json, task);
        }

        json.WriteEndArray();
        json.WriteStartArray("completed_tasks");
        foreach (var task in framework.CompletedTasks)
        {
            WriteTask(json, task);
        }

        json.WriteEndArray();
        json.WriteStartArray("offers");
        if (!completed)
        {
            foreach (var offer in state.Offers.Values.Where(o => o.FrameworkId == framework.Id))
            {
                json.WriteStartObject();
                json.WriteString("id", offer.Id.Value);
                json.WriteString("framework_id", offer.FrameworkId.Value);
                json.WriteString("slave_id", offer.AgentId.Value);
                json.WriteStartObject("allocation_info");
                json.WriteString("role", offer.Role);
                json.WriteEndObject();
                WriteSummary(json, "resources", offer.Resources);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("executors");
        if (!completed)
        {
            foreach (var executor in state.Executors.Values.Where(e => e.Key.FrameworkId == framework.Id))
            {
                WriteExecutor(json, executor);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// An executor the master launched tasks on, as Mesos' FullFrameworkWriter writes it (<c>json(ExecutorInfo)</c> and
    /// then <c>slave_id</c>): <c>command</c> always, empty for a DEFAULT executor, whose command only its agent fills in;
    /// the summarised <c>resources</c> and the <c>role</c> they are allocated to; <c>type</c> as GET_EXECUTORS says it.
    /// </summary>
    public static void WriteExecutor(Utf8JsonWriter json, ExecutorRecord executor)
    {
        var info = executor.Info;
        json.WriteStartObject();
        json.WriteString("executor_id", info.ExecutorId.Value);
        json.WriteString("name", info.Name);
        json.WriteString("framework_id", executor.Key.FrameworkId.Value);
        json.WriteStartObject("command");
        if (executor.Type != ExecutorType.Default)
        {
            json.WriteBoolean("shell", info.Command.Shell);
            json.WriteString("value", info.Command.Value);
        }

        json.WriteStartArray("argv");
        foreach (var argument in info.Command.Arguments)
        {
            json.WriteStringValue(argument);
        }

        json.WriteEndArray();
        if (!info.Command.Environment.IsEmpty)
        {
            json.WriteStartObject("environment");
            json.WriteStartArray("variables");
            foreach (var variable in info.Command.Environment)
            {
                json.WriteStartObject();
                json.WriteString("name", variable.Name);
                json.WriteString("type", "VALUE");
                json.WriteString("value", variable.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteStartArray("uris");
        json.WriteEndArray();
        json.WriteEndObject();
        WriteSummary(json, "resources", info.Resources);
        if (!info.Resources.IsEmpty)
        {
            json.WriteString("role", executor.Role);
        }

        json.WriteString("type", executor.Type == ExecutorType.Default ? "DEFAULT" : "CUSTOM");
        json.WriteString("slave_id", executor.AgentId.Value);
        json.WriteEndObject();
    }

    /// <summary>
    /// A task in the legacy shape. Command tasks have an empty <c>executor_id</c> in Mesos' legacy JSON; tasks of a
    /// task group name their DEFAULT executor, which Mesos' master puts into each of them.
    /// </summary>
    public static void WriteTask(Utf8JsonWriter json, TaskRecord task)
    {
        json.WriteStartObject();
        json.WriteString("id", task.Key.TaskId.Value);
        json.WriteString("name", task.Info.Name);
        json.WriteString("framework_id", task.Key.FrameworkId.Value);
        json.WriteString("executor_id", V1Json.HasOwnExecutor(task) ? task.ExecutorId.Value : string.Empty);
        json.WriteString("slave_id", task.AgentId.Value);
        json.WriteString("state", V1Json.StateName(task.State));
        WriteSummary(json, "resources", task.Info.Resources);
        json.WriteString("role", task.Role);
        json.WriteStartArray("statuses");
        foreach (var status in task.Statuses)
        {
            json.WriteStartObject();
            json.WriteString("state", V1Json.StateName(status.State));
            WriteDouble(json, "timestamp", Seconds(status.Timestamp));
            if (status.Healthy is { } healthy)
            {
                json.WriteBoolean("healthy", healthy);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (task.Info.Command?.User is { } user)
        {
            json.WriteString("user", user);
        }

        json.WriteEndObject();
    }

    /// <summary>Mesos' resource summary: cpus, gpus, mem and disk always present, ranges as <c>"[a-b, c-d]"</c>, sets as <c>"{a,b}"</c>.</summary>
    public static void WriteSummary(Utf8JsonWriter json, string name, ResourceSet resources)
    {
        var scalars = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["cpus"] = 0, ["gpus"] = 0, ["mem"] = 0, ["disk"] = 0 };
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in resources.Entries)
        {
            switch (r.Kind)
            {
                case ResourceKind.Scalar:
                    scalars[r.Name] = scalars.GetValueOrDefault(r.Name) + r.Scalar.ToDouble();
                    break;
                case ResourceKind.Ranges:
                    texts[r.Name] = texts.TryGetValue(r.Name, out var ranges) ? Merge(ranges, r.Ranges.ToString()) : r.Ranges.ToString();
                    break;
                default:
                    texts[r.Name] = texts.TryGetValue(r.Name, out var items) ? Merge(items, r.Items.ToString()) : r.Items.ToString();
                    break;
            }
        }

        json.WriteStartObject(name);
        foreach (var (key, value) in scalars)
        {
            json.WritePropertyName(key);
            WriteDoubleValue(json, Math.Round(value, 3));
        }

        foreach (var (key, value) in texts)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    /// <summary>Two bracketed lists of the same resource (reserved and unreserved parts) shown as one.</summary>
    private static string Merge(string a, string b) =>
        string.Create(CultureInfo.InvariantCulture, $"{a[..^1]}, {b[1..]}");
}
