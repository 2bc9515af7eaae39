using System.Globalization;
using System.Text.Json;
using Mesos.Core.Collections;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using static Mesos.Master.Api.Http.JsonFields;

namespace Mesos.Master.Api.Http.Operator;

/// <summary>
/// Mesos 1.11's <c>master.Call</c> in JSON, read into what this master acts on. Unknown fields are ignored and an
/// unknown type name leaves the type unset, as stout does; errors carry Mesos' message prefixes.
/// </summary>
public sealed record OperatorCall(string Type, JsonElement Payload)
{
    /// <summary>master.Call.Type, by name.</summary>
    public static readonly string[] Types =
    [
        "UNKNOWN", "GET_HEALTH", "GET_FLAGS", "GET_VERSION", "GET_METRICS", "GET_LOGGING_LEVEL", "SET_LOGGING_LEVEL",
        "LIST_FILES", "READ_FILE", "GET_STATE", "GET_AGENTS", "GET_FRAMEWORKS", "GET_EXECUTORS", "GET_OPERATIONS",
        "GET_TASKS", "GET_ROLES", "GET_WEIGHTS", "UPDATE_WEIGHTS", "GET_MASTER", "SUBSCRIBE", "RESERVE_RESOURCES",
        "UNRESERVE_RESOURCES", "CREATE_VOLUMES", "DESTROY_VOLUMES", "GROW_VOLUME", "SHRINK_VOLUME",
        "GET_MAINTENANCE_STATUS", "GET_MAINTENANCE_SCHEDULE", "UPDATE_MAINTENANCE_SCHEDULE", "START_MAINTENANCE",
        "STOP_MAINTENANCE", "DRAIN_AGENT", "DEACTIVATE_AGENT", "REACTIVATE_AGENT", "GET_QUOTA", "UPDATE_QUOTA",
        "SET_QUOTA", "REMOVE_QUOTA", "TEARDOWN", "MARK_AGENT_GONE",
    ];

    /// <summary>The payload field each call type requires (master/validation.cpp).</summary>
    private static readonly Dictionary<string, string> RequiredPayload = new(StringComparer.Ordinal)
    {
        ["SET_LOGGING_LEVEL"] = "set_logging_level",
        ["LIST_FILES"] = "list_files",
        ["READ_FILE"] = "read_file",
        ["UPDATE_WEIGHTS"] = "update_weights",
        ["RESERVE_RESOURCES"] = "reserve_resources",
        ["UNRESERVE_RESOURCES"] = "unreserve_resources",
        ["CREATE_VOLUMES"] = "create_volumes",
        ["DESTROY_VOLUMES"] = "destroy_volumes",
        ["GROW_VOLUME"] = "grow_volume",
        ["SHRINK_VOLUME"] = "shrink_volume",
        ["UPDATE_MAINTENANCE_SCHEDULE"] = "update_maintenance_schedule",
        ["START_MAINTENANCE"] = "start_maintenance",
        ["STOP_MAINTENANCE"] = "stop_maintenance",
        ["DRAIN_AGENT"] = "drain_agent",
        ["DEACTIVATE_AGENT"] = "deactivate_agent",
        ["REACTIVATE_AGENT"] = "reactivate_agent",
        ["UPDATE_QUOTA"] = "update_quota",
        ["SET_QUOTA"] = "set_quota",
        ["REMOVE_QUOTA"] = "remove_quota",
        ["TEARDOWN"] = "teardown",
        ["MARK_AGENT_GONE"] = "mark_agent_gone",
    };

    public static string? PayloadField(string type) => RequiredPayload.GetValueOrDefault(type);

    /// <summary>Parses and validates; the returned call owns a clone of the payload, independent of the body buffer.</summary>
    public static OperatorCall Parse(ReadOnlyMemory<byte> body)
    {
        JsonFields.EnsureUtf8(body.Span);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw HttpCallError.BadRequest("Failed to parse body into JSON: " + ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw HttpCallError.BadRequest("Failed to parse body into JSON: not a JSON object");
            }

            string? type;
            try
            {
                var name = String(root, "type", string.Empty);
                type = name is not null && Types.Contains(name) ? name : null;
            }
            catch (JsonConversionException ex)
            {
                throw HttpCallError.BadRequest("Failed to convert JSON into Call protobuf: " + ex.Message);
            }

            if (type is null)
            {
                throw HttpCallError.BadRequest("Failed to validate master::Call: Expecting 'type' to be present");
            }

            if (PayloadField(type) is { } field)
            {
                JsonElement? payload;
                try
                {
                    payload = Object(root, field, string.Empty);
                }
                catch (JsonConversionException ex)
                {
                    throw HttpCallError.BadRequest("Failed to convert JSON into Call protobuf: " + ex.Message);
                }

                return payload is { } p
                    ? new OperatorCall(type, p.Clone())
                    : throw HttpCallError.BadRequest($"Failed to validate master::Call: Expecting '{field}' to be present");
            }

            return new OperatorCall(type, default);
        }
    }

    /// <summary>Runs a payload reader, turning a JSON shape error into Mesos' 400.</summary>
    public T Read<T>(Func<JsonElement, T> read)
    {
        try
        {
            return read(Payload);
        }
        catch (JsonConversionException ex)
        {
            throw HttpCallError.BadRequest("Failed to convert JSON into Call protobuf: " + ex.Message);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException or FormatException)
        {
            // Values JSON can carry but the core cannot hold (a quantity beyond its fixed-point range, say).
            throw HttpCallError.BadRequest("Failed to validate master::Call: " + ex.Message);
        }
    }

    /// <summary>An id field the call requires, e.g. <c>teardown.framework_id</c>.</summary>
    public string RequiredId(string name)
    {
        var field = PayloadField(Type)!;
        return Read(p => Id(p, name, field))
            ?? throw HttpCallError.BadRequest($"Failed to validate master::Call: Missing required fields: {field}.{name}");
    }

    /// <summary>UPDATE_WEIGHTS: <c>{"weight_infos": [{"role": "r", "weight": 2.0}]}</c>.</summary>
    public ValueArray<RoleWeight> Weights() => Read(p => ValueArray.From(Array(p, "weight_infos", "update_weights").Select(w =>
        new RoleWeight(
            String(w, "role", "update_weights.weight_infos") ?? throw new JsonConversionException("Missing required fields: update_weights.weight_infos.role"),
            Double(w, "weight", "update_weights.weight_infos") ?? throw new JsonConversionException("Missing required fields: update_weights.weight_infos.weight")))));

    /// <summary>UPDATE_QUOTA: <c>{"force": false, "quota_configs": [{"role", "guarantees": {"cpus": {"value": 1}}, "limits": {...}}]}</c>.</summary>
    public (ValueArray<RoleQuota> Quotas, bool Force) Quotas() => Read(p =>
    {
        var configs = Array(p, "quota_configs", "update_quota").Select(c => new RoleQuota(
            String(c, "role", "update_quota.quota_configs") ?? throw new JsonConversionException("Missing required fields: update_quota.quota_configs.role"),
            Quantities(c, "guarantees"),
            Quantities(c, "limits")));
        return (ValueArray.From(configs), Bool(p, "force", "update_quota") ?? false);
    });

    /// <summary>A <c>map&lt;string, Value.Scalar&gt;</c> of resource quantities.</summary>
    private static ResourceSet Quantities(JsonElement config, string name)
    {
        var path = "update_quota.quota_configs." + name;
        if (Object(config, name, "update_quota.quota_configs") is not { } map)
        {
            return ResourceSet.Empty;
        }

        var resources = new List<Resource>();
        foreach (var entry in map.EnumerateObject())
        {
            var value = entry.Value.ValueKind == JsonValueKind.Object
                ? Double(entry.Value, "value", Join(path, entry.Name)) ?? throw new JsonConversionException($"Missing required fields: {path}.{entry.Name}.value")
                : throw new JsonConversionException($"Not expecting a JSON value other than an object for field '{Join(path, entry.Name)}'");
            if (!double.IsFinite(value) || value < 0)
            {
                throw new JsonConversionException($"Negative or non-finite quantity for '{entry.Name}' in {path}");
            }

            resources.Add(Resource.OfScalar(entry.Name, value));
        }

        return ResourceSet.Of(resources);
    }
    /// <summary>
    /// DRAIN_AGENT: <c>{"agent_id": {"value": "..."}, "max_grace_period": "600s", "mark_gone": false}</c>. The grace
    /// period is a <c>google.protobuf.Duration</c>: its JSON string (<c>"600s"</c>, <c>"1.5s"</c>), or the message
    /// itself (<c>{"seconds": 600, "nanos": 0}</c>); either way it is kept in nanoseconds, as Mesos' DurationInfo.
    /// </summary>
    public (string AgentId, long? MaxGracePeriodNanoseconds, bool MarkGone) Drain()
    {
        var agentId = RequiredId("agent_id");
        return Read(p => (agentId, GracePeriod(p), Bool(p, "mark_gone", "drain_agent") ?? false));
    }

    private static long? GracePeriod(JsonElement payload)
    {
        const string path = "drain_agent.max_grace_period";
        if (Field(payload, "max_grace_period", "drain_agent") is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var seconds = Int64(value, "seconds", path) ?? 0;
            var nanos = Int64(value, "nanos", path) ?? 0;
            if (nanos is <= -1_000_000_000 or >= 1_000_000_000 || (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0))
            {
                throw new JsonConversionException($"Invalid duration for field '{path}': nanos {nanos} is out of range for seconds {seconds}");
            }

            return checked((seconds * 1_000_000_000) + nanos);
        }

        var text = AsString(value, path);
        return ParseDuration(text) ?? throw new JsonConversionException($"Invalid duration format for field '{path}': '{text}'");
    }

    /// <summary>Proto3's JSON form of a Duration: an optional '-', seconds with up to nine fractional digits, then 's'.</summary>
    private static long? ParseDuration(string text)
    {
        if (text.Length < 2 || text[^1] != 's')
        {
            return null;
        }

        var body = text.AsSpan(0, text.Length - 1);
        var negative = body.Length > 0 && body[0] == '-';
        if (negative)
        {
            body = body[1..];
        }

        var dot = body.IndexOf('.');
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? [] : body[(dot + 1)..];
        if (whole.Length == 0 || whole.Length > 12 || fraction.Length > 9 || (dot >= 0 && fraction.Length == 0)
            || whole.ContainsAnyExceptInRange('0', '9') || fraction.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        var nanos = (long.Parse(whole, CultureInfo.InvariantCulture) * 1_000_000_000)
            + (fraction.Length == 0 ? 0 : long.Parse(fraction, CultureInfo.InvariantCulture) * (long)Math.Pow(10, 9 - fraction.Length));
        return negative ? -nanos : nanos;
    }
}
