using System.Buffers;
using System.Text.Json;
using Mediator;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Hosting.Http;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Application;
using Mesos.Master.Configuration;
using Mesos.Master.Loop;
using Mesos.Master.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Mesos.Master.Api.Http.JsonFields;
using static Mesos.Master.Api.Http.SchedulerEventJson;
using Wire = Mesos.Protocol.Wire.Master;

namespace Mesos.Master.Api.Http.Operator;

/// <summary>
/// Mesos 1.11's operator API, <c>POST /api/v1</c> (master.proto's Call and Response, in JSON or protobuf). Reads are served
/// from the published snapshot and never wait for the master loop; changes go through the same core commands as
/// every other edge. Calls this master has no core support for answer 501 and say so.
/// </summary>
public static class OperatorHttpEndpoints
{
    public const string Path = "/api/v1";
    private const string ResponseTypeKey = "mesos.response-type";

    /// <summary>The encoding the request accepts (checked before the body is read).</summary>
    public static string ResponseType(HttpContext http) => http.Items[ResponseTypeKey] as string ?? ApiMediaTypes.Json;

    public static void Map(IEndpointRouteBuilder app) => app.Map(Path, HandleAsync);

    private static async Task HandleAsync(HttpContext http)
    {
        try
        {
            var call = await ReadCallAsync(http).ConfigureAwait(false);
            await DispatchAsync(http, call).ConfigureAwait(false);
        }
        catch (HttpCallError error) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = error.StatusCode;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(error.Message, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task<OperatorCall> ReadCallAsync(HttpContext http)
    {
        var request = http.Request;
        if (ApiMediaTypes.CheckRequest(request, out var requestType) is { } refused)
        {
            throw new HttpCallError(refused.StatusCode, refused.Message);
        }

        http.Items[ResponseTypeKey] = ApiMediaTypes.ResponseType(request)
            ?? throw new HttpCallError(StatusCodes.Status406NotAcceptable, ApiMediaTypes.NotAcceptableMessage);

        var (body, _) = await ApiMediaTypes.ReadBodyAsync(request, maxBytes: null, http.RequestAborted).ConfigureAwait(false);
        return OperatorCall.Parse(requestType == ApiMediaTypes.Protobuf ? WireEncoding.ProtobufToJson(Wire.Call.Parser, body) : body);
    }

    private static async Task DispatchAsync(HttpContext http, OperatorCall call)
    {
        var services = http.RequestServices;
        var ct = http.RequestAborted;
        var snapshot = services.GetRequiredService<ClusterStateHolder>().Current;
        var state = snapshot.State;
        switch (call.Type)
        {
            case "UNKNOWN":
                throw new HttpCallError(StatusCodes.Status501NotImplemented, "Received an unexpected 'UNKNOWN' call");

            case "GET_HEALTH":
                await RespondAsync(http, "GET_HEALTH", "get_health", json => json.WriteBoolean("healthy", true)).ConfigureAwait(false);
                return;

            case "GET_FLAGS":
                var options = services.GetRequiredService<MasterOptions>();
                await RespondAsync(http, "GET_FLAGS", "get_flags", json =>
                {
                    var flags = options.Flags.Where(f => f.Value is not null).ToList();
                    if (flags.Count == 0)
                    {
                        return;
                    }

                    json.WriteStartArray("flags");
                    foreach (var (name, value) in flags)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", name);
                        json.WriteString("value", value);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }).ConfigureAwait(false);
                return;

            case "GET_VERSION":
                await RespondAsync(http, "GET_VERSION", "get_version", WriteVersionInfo).ConfigureAwait(false);
                return;

            case "LIST_FILES" or "READ_FILE":
                await OperatorFiles.ServeAsync(http, call).ConfigureAwait(false);
                return;

            case "GET_METRICS":
                var metrics = services.GetRequiredService<MetricsCollector>().Snapshot();
                await RespondAsync(http, "GET_METRICS", "get_metrics", json =>
                {
                    json.WriteStartArray("metrics");
                    foreach (var (name, value) in metrics)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", name);
                        WriteDouble(json, "value", value);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }).ConfigureAwait(false);
                return;

            case "GET_STATE":
                await RespondRawAsync(http, "GET_STATE", "get_state", json => V1Json.WriteGetState(json, state, MasterEndpoints.Version)).ConfigureAwait(false);
                return;

            case "GET_AGENTS":
                await RespondRawAsync(http, "GET_AGENTS", "get_agents", json => V1Json.WriteGetAgents(json, state, MasterEndpoints.Version)).ConfigureAwait(false);
                return;

            case "GET_FRAMEWORKS":
                await RespondRawAsync(http, "GET_FRAMEWORKS", "get_frameworks", json => V1Json.WriteGetFrameworks(json, state)).ConfigureAwait(false);
                return;

            case "GET_EXECUTORS":
                await RespondRawAsync(http, "GET_EXECUTORS", "get_executors", json => V1Json.WriteGetExecutors(json, state)).ConfigureAwait(false);
                return;

            case "GET_TASKS":
                await RespondRawAsync(http, "GET_TASKS", "get_tasks", json => V1Json.WriteGetTasks(json, state)).ConfigureAwait(false);
                return;

            case "GET_OPERATIONS":
                // Offer operations with ids (RESERVE, CREATE...) are not accepted by this master, so none is ever known.
                await RespondAsync(http, "GET_OPERATIONS", "get_operations", _ => { }).ConfigureAwait(false);
                return;

            case "GET_ROLES":
                await RespondAsync(http, "GET_ROLES", "get_roles", json => WriteRoles(json, state)).ConfigureAwait(false);
                return;

            case "GET_WEIGHTS":
                await RespondAsync(http, "GET_WEIGHTS", "get_weights", json =>
                {
                    var weighted = state.Roles.Where(r => r.Value.Weight != 1.0).ToList();
                    if (weighted.Count == 0)
                    {
                        return;
                    }

                    json.WriteStartArray("weight_infos");
                    foreach (var (role, settings) in weighted)
                    {
                        json.WriteStartObject();
                        WriteDouble(json, "weight", settings.Weight);
                        json.WriteString("role", role);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }).ConfigureAwait(false);
                return;

            case "GET_MASTER":
                var runtime = services.GetRequiredService<MasterRuntime>();
                await RespondAsync(http, "GET_MASTER", "get_master", json =>
                {
                    WriteMasterInfo(json, ProtoMapping.ToWire(state.Master));
                    WriteDouble(json, "start_time", ProtoMapping.Seconds(runtime.StartedAt));
                    if (runtime.ElectedAt is { } elected)
                    {
                        WriteDouble(json, "elected_time", ProtoMapping.Seconds(elected));
                    }
                }).ConfigureAwait(false);
                return;

            case "GET_QUOTA":
                await RespondAsync(http, "GET_QUOTA", "get_quota", json => WriteQuotaStatus(json, state)).ConfigureAwait(false);
                return;

            case "GET_MAINTENANCE_STATUS":
                await RespondAsync(http, "GET_MAINTENANCE_STATUS", "get_maintenance_status", json =>
                {
                    json.WriteStartObject("status");
                    MaintenanceJson.WriteStatus(json, state);
                    json.WriteEndObject();
                }).ConfigureAwait(false);
                return;

            case "GET_MAINTENANCE_SCHEDULE":
                await RespondAsync(http, "GET_MAINTENANCE_SCHEDULE", "get_maintenance_schedule", json =>
                {
                    json.WriteStartObject("schedule");
                    MaintenanceJson.WriteSchedule(json, state.Maintenance);
                    json.WriteEndObject();
                }).ConfigureAwait(false);
                return;

            // Maintenance: Mesos answers 200 once applied, 400 with maintenance::validation's message otherwise.
            case "UPDATE_MAINTENANCE_SCHEDULE":
                var schedule = call.Read(p => Object(p, "schedule", "update_maintenance_schedule") is { } s
                    ? MaintenanceJson.ReadSchedule(s, "update_maintenance_schedule.schedule")
                    : throw new JsonConversionException("Missing required fields: update_maintenance_schedule.schedule"));
                await SubmitAsync(http, new UpdateMaintenanceSchedule(schedule) { Principal = "operator" }).ConfigureAwait(false);
                return;

            case "START_MAINTENANCE":
                await SubmitAsync(http, new StartMaintenance(call.Read(p => MaintenanceJson.ReadMachines(p, "machines", "start_maintenance"))) { Principal = "operator" }).ConfigureAwait(false);
                return;

            case "STOP_MAINTENANCE":
                await SubmitAsync(http, new StopMaintenance(call.Read(p => MaintenanceJson.ReadMachines(p, "machines", "stop_maintenance"))) { Principal = "operator" }).ConfigureAwait(false);
                return;

            case "SUBSCRIBE":
                await OperatorEventStream.ServeAsync(http, snapshot).ConfigureAwait(false);
                return;

            case "TEARDOWN":
                var frameworkId = new FrameworkId(call.RequiredId("framework_id"));
                if (!state.Frameworks.ContainsKey(frameworkId))
                {
                    throw HttpCallError.BadRequest("No framework found with specified ID");
                }

                await SubmitAsync(http, new TeardownFramework(frameworkId) { Principal = "operator" }).ConfigureAwait(false);
                return;

            case "UPDATE_WEIGHTS":
                await SubmitAsync(http, new UpdateWeights(call.Weights()) { Principal = "operator" }).ConfigureAwait(false);
                return;

            case "UPDATE_QUOTA":
                var (quotas, force) = call.Quotas();
                await SubmitAsync(http, new UpdateQuota(quotas, force) { Principal = "operator" }).ConfigureAwait(false);
                return;

            case "RESERVE_RESOURCES" or "UNRESERVE_RESOURCES" or "CREATE_VOLUMES" or "DESTROY_VOLUMES":
                await OperatorReservations.SubmitAsync(http, call).ConfigureAwait(false);
                return;

            case "GROW_VOLUME" or "SHRINK_VOLUME":
                await OperatorVolumeResize.SubmitAsync(http, call).ConfigureAwait(false);
                return;

            // Agent lifecycle (issue 5): operator decisions, recorded as events.
            case "DEACTIVATE_AGENT":
                await SubmitAsync(http, new DeactivateAgent(new AgentId(call.RequiredId("agent_id"))) { Principal = "operator" }).ConfigureAwait(false);
                return;

            case "REACTIVATE_AGENT":
                await SubmitAsync(http, new ReactivateAgent(new AgentId(call.RequiredId("agent_id"))) { Principal = "operator" }).ConfigureAwait(false);
                return;

            // Mesos answers an agent it never admitted 404 here (not 400 as for (de)activation); gone twice is 200.
            case "MARK_AGENT_GONE":
                await SubmitAsync(http, new MarkAgentGone(new AgentId(call.RequiredId("agent_id"))) { Principal = "operator" }, notFound: StatusCodes.Status404NotFound).ConfigureAwait(false);
                return;

            // Mesos answers an agent it never admitted (or one gone) 400 "Unknown agent"; draining again replaces the config.
            case "DRAIN_AGENT":
                var (drainId, maxGracePeriod, markGone) = call.Drain();
                await SubmitAsync(http, new DrainAgent(new AgentId(drainId), maxGracePeriod, markGone) { Principal = "operator" }).ConfigureAwait(false);
                return;

            default:
                throw new HttpCallError(
                    StatusCodes.Status501NotImplemented,
                    $"'{call.Type}' is not supported by this master yet: it has no {Describe(call.Type)}");
        }
    }

    private static string Describe(string type) => type switch
    {
        "SET_QUOTA" or "REMOVE_QUOTA" => "deprecated quota calls; use UPDATE_QUOTA",
        _ => "support for this call",
    };

    /// <summary>Mesos answers a change 200 once it is applied, or 400 with the reason it was refused.</summary>
    private static async Task SubmitAsync(HttpContext http, MasterCommand command, int notFound = StatusCodes.Status400BadRequest)
    {
        var mediator = http.RequestServices.GetRequiredService<IMediator>();
        var result = await mediator.Send(new Submit(command), http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            throw new HttpCallError(error.Kind == DecideErrorKind.NotFound ? notFound : StatusCodes.Status400BadRequest, error.Message);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    public static void WriteVersionInfo(Utf8JsonWriter json)
    {
        json.WriteStartObject("version_info");
        json.WriteString("version", MasterEndpoints.Version);
        json.WriteString("build_date", string.Empty);
        WriteDouble(json, "build_time", 0);
        json.WriteString("build_user", string.Empty);
        json.WriteEndObject();
    }

    /// <summary>
    /// Roles Mesos lists: those with frameworks subscribed, and those with a weight or quota set. <c>resources</c>
    /// and <c>allocated</c> are what the role's tasks hold.
    /// </summary>
    private static void WriteRoles(Utf8JsonWriter json, ClusterState state)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var framework in state.Frameworks.Values)
        {
            names.UnionWith(framework.Info.Roles);
        }

        names.UnionWith(state.Roles.Keys);
        if (names.Count == 0)
        {
            return;
        }

        json.WriteStartArray("roles");
        foreach (var name in names)
        {
            var allocated = state.Tasks.Values.Where(t => t.Role == name && !t.ResourcesReleased)
                .Aggregate(ResourceSet.Empty, (sum, t) => sum + t.Info.Resources);
            var offered = state.Offers.Values.Where(o => o.Role == name).Aggregate(ResourceSet.Empty, (sum, o) => sum + o.Resources);
            json.WriteStartObject();
            json.WriteString("name", name);
            WriteDouble(json, "weight", state.RoleOf(name).Weight);
            var frameworks = state.Frameworks.Values.Where(f => f.Info.Roles.Items.Contains(name)).ToList();
            if (frameworks.Count > 0)
            {
                json.WriteStartArray("frameworks");
                foreach (var framework in frameworks)
                {
                    json.WriteStartObject();
                    json.WriteString("value", framework.Id.Value);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            V1Json.WriteResources(json, "resources", allocated, name);
            V1Json.WriteResources(json, "allocated", allocated, name);
            V1Json.WriteResources(json, "offered", offered, name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>quota.QuotaStatus: <c>configs</c> as UPDATE_QUOTA set them, quantities as <c>{"cpus": {"value": 1.0}}</c>.</summary>
    private static void WriteQuotaStatus(Utf8JsonWriter json, ClusterState state)
    {
        json.WriteStartObject("status");
        WriteQuotaConfigs(json, state);
        json.WriteEndObject();
    }

    /// <summary>QuotaStatus.configs: each role with a guarantee or a limit (also the legacy <c>/master/quota</c>'s).</summary>
    public static void WriteQuotaConfigs(Utf8JsonWriter json, ClusterState state)
    {
        var quotas = state.Roles.Where(r => !r.Value.Guarantees.IsEmpty || !r.Value.Limits.IsEmpty).ToList();
        if (quotas.Count > 0)
        {
            json.WriteStartArray("configs");
            foreach (var (role, settings) in quotas)
            {
                json.WriteStartObject();
                json.WriteString("role", role);
                WriteQuantities(json, "guarantees", settings.Guarantees);
                WriteQuantities(json, "limits", settings.Limits);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
    }

    private static void WriteQuantities(Utf8JsonWriter json, string name, ResourceSet resources)
    {
        if (resources.IsEmpty)
        {
            return;
        }

        json.WriteStartObject(name);
        foreach (var resource in resources.Entries.Where(r => r.Kind == ResourceKind.Scalar))
        {
            json.WriteStartObject(resource.Name);
            WriteDouble(json, "value", resource.Scalar.ToDouble());
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>A master.Response whose payload object is written by <paramref name="fields"/>.</summary>
    private static Task RespondAsync(HttpContext http, string type, string field, Action<Utf8JsonWriter> fields) =>
        RespondRawAsync(http, type, field, json =>
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        });

    /// <summary>A master.Response whose payload value is written whole by <paramref name="value"/>.</summary>
    private static async Task RespondRawAsync(HttpContext http, string type, string field, Action<Utf8JsonWriter> value)
    {
        var responseType = ResponseType(http);
        var bytes = WireEncoding.Encode(responseType, Wire.Response.Descriptor, Render(type, field, value));
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = responseType;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }

    public static byte[] Render(string type, string field, Action<Utf8JsonWriter> value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WritePropertyName(field);
            value(json);
            json.WriteEndObject();
        }

        return AsciiOnly(buffer.WrittenSpan);
    }
}
