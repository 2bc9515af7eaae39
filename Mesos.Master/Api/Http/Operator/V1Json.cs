using System.Text.Json;
using Mesos.Core.Agents;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Master.Api.Grpc;
using static Mesos.Master.Api.Http.SchedulerEventJson;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Http.Operator;

/// <summary>
/// Mesos 1.11's v1 messages (mesos.proto, master.proto) in stout's JSON, written from the folded state: Task,
/// AgentInfo, FrameworkInfo, and the GetAgents / GetFrameworks / GetTasks / GetExecutors parts that GET_STATE,
/// the GET_* calls and the operator event stream share. Empty repeated fields are left out, as stout does.
/// </summary>
public static class V1Json
{
    public static void WriteTimeInfo(Utf8JsonWriter json, string name, DateTimeOffset at)
    {
        json.WriteStartObject(name);
        json.WriteNumber("nanoseconds", (at - DateTimeOffset.UnixEpoch).Ticks * 100);
        json.WriteEndObject();
    }

    public static void WriteResources(Utf8JsonWriter json, string name, ResourceSet resources, string? allocationRole = null)
    {
        if (resources.IsEmpty)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var resource in ProtoMapping.ToWire(resources, allocationRole))
        {
            WriteResource(json, resource);
        }

        json.WriteEndArray();
    }

    public static void WriteAgentInfo(Utf8JsonWriter json, string name, AgentState agent)
    {
        json.WriteStartObject(name);
        json.WriteString("hostname", agent.Info.Hostname);
        WriteResources(json, "resources", agent.Info.Resources);
        WriteAttributes(json, [.. ProtoMapping.ToWire(agent.Info.Attributes)]);
        WriteId(json, "id", agent.Id.Value);
        json.WriteNumber("port", agent.Info.Port);
        json.WriteEndObject();
    }

    /// <summary>
    /// FrameworkInfo as the framework gave it: <c>roles</c> for MULTI_ROLE frameworks, the old single <c>role</c>
    /// otherwise; <c>failover_timeout</c> and <c>checkpoint</c> always, as they have explicit defaults.
    /// </summary>
    public static void WriteFrameworkInfo(Utf8JsonWriter json, string name, FrameworkId id, FrameworkInfo info)
    {
        json.WriteStartObject(name);
        json.WriteString("user", info.User);
        json.WriteString("name", info.Name);
        WriteId(json, "id", id.Value);
        WriteDouble(json, "failover_timeout", info.FailoverTimeoutSeconds);
        json.WriteBoolean("checkpoint", info.Checkpoint);
        if (!info.Has(FrameworkCapability.MultiRole))
        {
            json.WriteString("role", info.Roles.Count > 0 ? info.Roles[0] : "*");
        }

        if (info.Hostname.Length > 0)
        {
            json.WriteString("hostname", info.Hostname);
        }

        if (info.Principal.Length > 0)
        {
            json.WriteString("principal", info.Principal);
        }

        if (info.WebUiUrl.Length > 0)
        {
            json.WriteString("webui_url", info.WebUiUrl);
        }

        if (info.Capabilities.Count > 0)
        {
            json.WriteStartArray("capabilities");
            foreach (var capability in info.Capabilities)
            {
                json.WriteStartObject();
                json.WriteString("type", CapabilityName(capability));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (info.Has(FrameworkCapability.MultiRole) && info.Roles.Count > 0)
        {
            json.WriteStartArray("roles");
            foreach (var role in info.Roles)
            {
                json.WriteStringValue(role);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    public static string CapabilityName(FrameworkCapability capability) =>
        JsonFields.ProtoName((V1.FrameworkInfo.Types.Capability)(int)capability);

    public static string StateName(TaskState state) => JsonFields.ProtoName((V1.TaskState)(int)state);

    /// <summary>
    /// mesos.v1.Task. Command tasks run under the built-in command executor, which the master does not track, so
    /// they carry no executor_id (as in Mesos); tasks of a custom or DEFAULT executor carry its id. Statuses are as the
    /// agent sent them: operators see the real state, not the TASK_LOST that non partition-aware frameworks are told.
    /// </summary>
    public static void WriteTask(Utf8JsonWriter json, TaskRecord task)
    {
        json.WriteStartObject();
        json.WriteString("name", task.Info.Name);
        WriteId(json, "task_id", task.Key.TaskId.Value);
        WriteId(json, "framework_id", task.Key.FrameworkId.Value);
        if (HasOwnExecutor(task))
        {
            WriteId(json, "executor_id", task.ExecutorId.Value);
        }

        WriteId(json, "agent_id", task.AgentId.Value);
        json.WriteString("state", StateName(task.State));
        WriteResources(json, "resources", task.Info.Resources, task.Role);
        if (task.Statuses.Count > 0)
        {
            json.WriteStartArray("statuses");
            foreach (var status in task.Statuses)
            {
                WriteTaskStatus(json, ToWire(task, status));
            }

            json.WriteEndArray();
            var last = task.Statuses[^1];
            json.WriteString("status_update_state", StateName(last.State));
            if (last.Uuid is { } uuid)
            {
                json.WriteBase64String("status_update_uuid", uuid.ToByteArray(bigEndian: true));
            }
        }

        if (task.Info.Command?.User is { } user)
        {
            json.WriteString("user", user);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Whether the task runs on an executor the master knows (a custom one, or the DEFAULT executor of its task group,
    /// which Mesos' master puts into each TaskInfo of the group), rather than the built-in command executor, whose id
    /// is the task's own.
    /// </summary>
    public static bool HasOwnExecutor(TaskRecord task) => task.ExecutorId.Value != task.Key.TaskId.Value;

    public static V1.TaskStatus ToWire(TaskRecord task, Core.Tasks.TaskStatus status) =>
        ProtoMapping.ToWire(task.Key, task.AgentId, null, status, partitionAware: true);

    /// <summary>GetAgents.Agent.</summary>
    public static void WriteAgent(Utf8JsonWriter json, AgentState agent, string version)
    {
        json.WriteStartObject();
        WriteAgentInfo(json, "agent_info", agent);
        json.WriteBoolean("active", agent.Offerable);
        json.WriteString("version", version);
        json.WriteString("pid", $"slave(1)@{agent.Info.Hostname}:{agent.Info.Port}");
        WriteTimeInfo(json, "registered_time", agent.RegisteredAt);
        if (agent.ReregisteredAt is { } reregistered)
        {
            WriteTimeInfo(json, "reregistered_time", reregistered);
        }

        WriteResources(json, "total_resources", agent.Info.Resources);
        WriteResources(json, "allocated_resources", agent.Used);
        WriteResources(json, "offered_resources", agent.Offered);
        json.WriteBoolean("deactivated", agent.Deactivated);
        if (agent.Drain is { } drain)
        {
            WriteDrainInfo(json, drain);
            WriteTimeInfo(json, "estimated_drain_start_time", drain.StartedAt);
        }

        json.WriteEndObject();
    }

    /// <summary>Mesos' <c>DrainInfo</c> (mesos.proto), as both the v1 API and the legacy endpoints write it.</summary>
    public static void WriteDrainInfo(Utf8JsonWriter json, AgentDrain drain)
    {
        json.WriteStartObject("drain_info");
        json.WriteString("state", drain.State == DrainState.Draining ? "DRAINING" : "DRAINED");
        json.WriteStartObject("config");
        if (drain.MaxGracePeriodNanoseconds is { } grace)
        {
            json.WriteStartObject("max_grace_period");
            json.WriteNumber("nanoseconds", grace);
            json.WriteEndObject();
        }

        json.WriteBoolean("mark_gone", drain.MarkGone);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>GetFrameworks.Framework.</summary>
    public static void WriteFramework(Utf8JsonWriter json, ClusterState state, FrameworkState framework)
    {
        json.WriteStartObject();
        WriteFrameworkInfo(json, "framework_info", framework.Id, framework.Info);
        json.WriteBoolean("active", framework.Status == FrameworkStatus.Active);
        json.WriteBoolean("connected", framework.Status == FrameworkStatus.Active);
        WriteTimeInfo(json, "registered_time", framework.RegisteredAt);
        if (framework.ReregisteredAt is { } reregistered)
        {
            WriteTimeInfo(json, "reregistered_time", reregistered);
        }

        if (framework.DisconnectedAt is { } disconnected)
        {
            WriteTimeInfo(json, "unregistered_time", disconnected);
        }

        var offers = state.Offers.Values.Where(o => o.FrameworkId == framework.Id).ToList();
        if (offers.Count > 0)
        {
            var executorIds = state.ExecutorIdsByFrameworkAndAgent(framework.Id);
            json.WriteStartArray("offers");
            foreach (var offer in offers)
            {
                WriteOffer(json, state, offer, executorIds[(offer.FrameworkId, offer.AgentId)]);
            }

            json.WriteEndArray();
        }

        // Field 8, between offers and allocated_resources, as master.proto numbers it: the maintenance inverse
        // offers the framework has not answered yet, as its INVERSE_OFFERS event carried them.
        var inverseOffers = state.Maintenance.InverseOffers.Values.Where(i => i.FrameworkId == framework.Id).ToList();
        if (inverseOffers.Count > 0)
        {
            json.WriteStartArray("inverse_offers");
            foreach (var inverse in inverseOffers)
            {
                WriteInverseOffer(json, InverseOfferMapping.ToWire(state, inverse));
            }

            json.WriteEndArray();
        }

        WriteResources(json, "allocated_resources", framework.Used);
        WriteResources(json, "offered_resources", framework.Offered);

        // A framework is "recovered" when a restarted master knows it from the log but it has not come back yet.
        json.WriteBoolean("recovered", framework.Status == FrameworkStatus.Disconnected && framework.DisconnectedAt is null);
        json.WriteEndObject();
    }

    public static void WriteOffer(Utf8JsonWriter json, ClusterState state, OfferState offer, IEnumerable<ExecutorId> executorIds)
    {
        json.WriteStartObject();
        WriteId(json, "id", offer.Id.Value);
        WriteId(json, "framework_id", offer.FrameworkId.Value);
        WriteId(json, "agent_id", offer.AgentId.Value);
        json.WriteString("hostname", state.Agents.TryGetValue(offer.AgentId, out var agent) ? agent.Info.Hostname : string.Empty);
        WriteResources(json, "resources", offer.Resources, offer.Role);

        // As the offer the framework got: its executors there, the agent's attributes and url, and when its machine
        // goes for maintenance.
        WriteExecutorIds(json, executorIds.Select(id => id.Value));
        if (agent is not null)
        {
            WriteAttributes(json, [.. ProtoMapping.ToWire(agent.Info.Attributes)]);
            WriteAgentUrl(json, agent.Info.Hostname, agent.Ip ?? string.Empty, agent.Info.Port);
        }

        if (agent is not null && state.Maintenance.UnavailabilityOf(agent.Machine) is { } unavailability)
        {
            WriteUnavailability(json, "unavailability", InverseOfferMapping.ToWire(unavailability));
        }

        json.WriteStartObject("allocation_info");
        json.WriteString("role", offer.Role);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>master.Response.GetAgents: registered agents; unreachable ones are not "registered" in Mesos' sense.</summary>
    public static void WriteGetAgents(Utf8JsonWriter json, ClusterState state, string version)
    {
        json.WriteStartObject();
        var agents = state.Agents.Values.Where(a => a.Status is not (AgentStatus.Unreachable or AgentStatus.Removed)).ToList();
        if (agents.Count > 0)
        {
            json.WriteStartArray("agents");
            foreach (var agent in agents)
            {
                WriteAgent(json, agent, version);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    public static void WriteGetFrameworks(Utf8JsonWriter json, ClusterState state)
    {
        json.WriteStartObject();
        if (state.Frameworks.Count > 0)
        {
            json.WriteStartArray("frameworks");
            foreach (var framework in state.Frameworks.Values)
            {
                WriteFramework(json, state, framework);
            }

            json.WriteEndArray();
        }

        if (state.CompletedFrameworks.Count > 0)
        {
            json.WriteStartArray("completed_frameworks");
            foreach (var framework in state.CompletedFrameworks)
            {
                WriteFramework(json, state, framework);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// master.Response.GetExecutors: the executors the master launched tasks on (custom ones and the DEFAULT executors
    /// of task groups), each with its agent; command tasks have none of their own (see <see cref="WriteTask"/>).
    /// </summary>
    public static void WriteGetExecutors(Utf8JsonWriter json, ClusterState state)
    {
        json.WriteStartObject();
        if (!state.Executors.IsEmpty)
        {
            json.WriteStartArray("executors");
            foreach (var executor in state.Executors.Values)
            {
                json.WriteStartObject();
                json.WriteStartObject("agent_id");
                json.WriteString("value", executor.AgentId.Value);
                json.WriteEndObject();
                json.WritePropertyName("executor_info");
                WriteExecutorInfo(json, executor);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>Mesos' ExecutorInfo: a DEFAULT executor has no command.</summary>
    private static void WriteExecutorInfo(Utf8JsonWriter json, ExecutorRecord executor)
    {
        var info = executor.Info;
        json.WriteStartObject();
        json.WriteString("type", executor.Type == ExecutorType.Default ? "DEFAULT" : "CUSTOM");
        json.WriteStartObject("executor_id");
        json.WriteString("value", info.ExecutorId.Value);
        json.WriteEndObject();
        json.WriteStartObject("framework_id");
        json.WriteString("value", executor.Key.FrameworkId.Value);
        json.WriteEndObject();
        if (executor.Type != ExecutorType.Default)
        {
            json.WriteStartObject("command");
            json.WriteString("value", info.Command.Value);
            json.WriteBoolean("shell", info.Command.Shell);
            json.WriteEndObject();
        }

        WriteResources(json, "resources", info.Resources, executor.Role);
        if (info.Name.Length > 0)
        {
            json.WriteString("name", info.Name);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// master.Response.GetTasks: <c>tasks</c> are the master's known tasks (terminal ones stay until acknowledged),
    /// <c>unreachable_tasks</c> those on partitioned agents, <c>completed_tasks</c> the bounded history.
    /// </summary>
    public static void WriteGetTasks(Utf8JsonWriter json, ClusterState state)
    {
        json.WriteStartObject();
        WriteTasks(json, "tasks", state.Tasks.Values.Where(t => t.State != TaskState.Unreachable));
        WriteTasks(json, "completed_tasks", state.Frameworks.Values.Concat(state.CompletedFrameworks).SelectMany(f => f.CompletedTasks));
        WriteTasks(json, "unreachable_tasks", state.Tasks.Values.Where(t => t.State == TaskState.Unreachable));
        json.WriteEndObject();
    }

    private static void WriteTasks(Utf8JsonWriter json, string name, IEnumerable<TaskRecord> tasks)
    {
        var started = false;
        foreach (var task in tasks)
        {
            if (!started)
            {
                json.WriteStartArray(name);
                started = true;
            }

            WriteTask(json, task);
        }

        if (started)
        {
            json.WriteEndArray();
        }
    }

    /// <summary>master.Response.GetState: tasks, executors, frameworks, agents, as the four GET_* calls answer them.</summary>
    public static void WriteGetState(Utf8JsonWriter json, ClusterState state, string version)
    {
        json.WriteStartObject();
        json.WritePropertyName("get_tasks");
        WriteGetTasks(json, state);
        json.WritePropertyName("get_executors");
        WriteGetExecutors(json, state);
        json.WritePropertyName("get_frameworks");
        WriteGetFrameworks(json, state);
        json.WritePropertyName("get_agents");
        WriteGetAgents(json, state, version);
        json.WriteEndObject();
    }
}
