using System.Text.Json;
using Google.Protobuf;
using static Mesos.Master.Api.Http.JsonFields;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Http;

/// <summary>
/// Mesos 1.11's scheduler <c>Call</c> in JSON, read into the gRPC edge's request messages. Errors carry Mesos'
/// message prefixes: "Failed to parse body into JSON", "Failed to convert JSON into Call protobuf",
/// "Failed to validate scheduler::Call".
/// </summary>
public static class SchedulerCallJson
{
    public static readonly string[] CallTypes =
    [
        "UNKNOWN", "SUBSCRIBE", "TEARDOWN", "ACCEPT", "DECLINE", "ACCEPT_INVERSE_OFFERS", "DECLINE_INVERSE_OFFERS",
        "REVIVE", "KILL", "SHUTDOWN", "ACKNOWLEDGE", "ACKNOWLEDGE_OPERATION_STATUS", "RECONCILE", "RECONCILE_OPERATIONS",
        "MESSAGE", "REQUEST", "SUPPRESS", "UPDATE_FRAMEWORK",
    ];

    public static SchedulerCall Parse(ReadOnlyMemory<byte> body)
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
            string? frameworkId;
            IMessage? payload;
            try
            {
                var typeName = String(root, "type", string.Empty);
                type = typeName is not null && CallTypes.Contains(typeName) ? typeName : null;
                frameworkId = Id(root, "framework_id", string.Empty);
                payload = type is null ? null : Payload(type, root);
            }
            catch (JsonConversionException ex)
            {
                throw HttpCallError.BadRequest("Failed to convert JSON into Call protobuf: " + ex.Message);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException or ArgumentException)
            {
                // Defence in depth: no body may turn into a server error.
                throw HttpCallError.BadRequest("Failed to convert JSON into Call protobuf: " + ex.Message);
            }

            var call = new SchedulerCall(type ?? string.Empty, frameworkId, payload);
            if (Validate(call, root) is { } error)
            {
                throw HttpCallError.BadRequest("Failed to validate scheduler::Call: " + error);
            }

            return call;
        }
    }

    /// <summary>Mesos' structural checks (src/master/validation.cpp, scheduler::call::validate), before any state is consulted.</summary>
    private static string? Validate(SchedulerCall call, JsonElement root)
    {
        if (call.Type.Length == 0)
        {
            return "Expecting 'type' to be present";
        }

        if (call.Type == "SUBSCRIBE")
        {
            if (call.Payload is not V1.SubscribeRequest subscribe)
            {
                return "Expecting 'subscribe' to be present";
            }

            if (call.FrameworkId is { } id && id != subscribe.FrameworkInfo.Id)
            {
                return "'framework_id' differs from 'subscribe.framework_info.id'";
            }

            return null;
        }

        if (call.Type == "UNKNOWN")
        {
            return null;
        }

        if (call.FrameworkId is null)
        {
            return "Expecting 'framework_id' to be present";
        }

        var required = call.Type switch
        {
            "ACCEPT" => "accept",
            "DECLINE" => "decline",
            "KILL" => "kill",
            "ACKNOWLEDGE" => "acknowledge",
            "RECONCILE" => "reconcile",
            "SHUTDOWN" => "shutdown",
            "MESSAGE" => "message",
            "REQUEST" => "request",
            "ACCEPT_INVERSE_OFFERS" => "accept_inverse_offers",
            "DECLINE_INVERSE_OFFERS" => "decline_inverse_offers",
            "ACKNOWLEDGE_OPERATION_STATUS" => "acknowledge_operation_status",
            "RECONCILE_OPERATIONS" => "reconcile_operations",
            "UPDATE_FRAMEWORK" => "update_framework",
            _ => null,
        };

        if (required is not null && (!root.TryGetProperty(required, out var value) || value.ValueKind == JsonValueKind.Null))
        {
            return $"Expecting '{required}' to be present";
        }

        if (call.Payload is V1.AcknowledgeRequest ack && ack.Uuid.Length != 16)
        {
            return "Failed to parse UUID: uuid must be 16 bytes";
        }

        if (call.Payload is V1.AcknowledgeOperationStatusRequest operationAck && operationAck.Uuid.Length != 16)
        {
            return "Failed to parse UUID: uuid must be 16 bytes";
        }

        if (call.Payload is V1.UpdateFrameworkRequest update && update.FrameworkInfo.Id != call.FrameworkId)
        {
            return "'framework_id' differs from 'update_framework.framework_info.id'";
        }

        return null;
    }

    private static IMessage? Payload(string type, JsonElement root) => type switch
    {
        "SUBSCRIBE" => Object(root, "subscribe", string.Empty) is { } s ? Subscribe(s) : null,
        "ACCEPT" => Object(root, "accept", string.Empty) is { } a ? Accept(a) : null,
        "DECLINE" => Object(root, "decline", string.Empty) is { } d ? Decline(d) : null,
        "ACCEPT_INVERSE_OFFERS" => Object(root, "accept_inverse_offers", string.Empty) is { } ai ? InverseOffers(ai, "accept_inverse_offers") : null,
        "DECLINE_INVERSE_OFFERS" => Object(root, "decline_inverse_offers", string.Empty) is { } di ? InverseOffers(di, "decline_inverse_offers") : null,
        "REVIVE" => Revive(Object(root, "revive", string.Empty)),
        "SUPPRESS" => Suppress(Object(root, "suppress", string.Empty)),
        "KILL" => Object(root, "kill", string.Empty) is { } k ? Kill(k) : null,
        "ACKNOWLEDGE" => Object(root, "acknowledge", string.Empty) is { } ack ? Acknowledge(ack) : null,
        "RECONCILE" => Object(root, "reconcile", string.Empty) is { } r ? Reconcile(r) : null,
        "TEARDOWN" => new V1.TeardownRequest(),
        "UPDATE_FRAMEWORK" => Object(root, "update_framework", string.Empty) is { } u ? UpdateFramework(u) : null,
        "MESSAGE" => Object(root, "message", string.Empty) is { } m ? Message(m) : null,
        "SHUTDOWN" => Object(root, "shutdown", string.Empty) is { } sd ? Shutdown(sd) : null,
        "ACKNOWLEDGE_OPERATION_STATUS" => Object(root, "acknowledge_operation_status", string.Empty) is { } ao ? AcknowledgeOperationStatus(ao) : null,
        "RECONCILE_OPERATIONS" => Object(root, "reconcile_operations", string.Empty) is { } ro ? ReconcileOperations(ro) : null,
        _ => null,
    };

    private static V1.UpdateFrameworkRequest UpdateFramework(JsonElement update)
    {
        const string path = "update_framework";
        var info = Object(update, "framework_info", path) ?? throw new JsonConversionException("Missing required fields: update_framework.framework_info");
        var request = new V1.UpdateFrameworkRequest { FrameworkInfo = FrameworkInfo(info, path + ".framework_info") };
        request.SuppressedRoles.AddRange(Array(update, "suppressed_roles", path).Select(r => AsString(r, path + ".suppressed_roles")));
        return request;
    }

    private static V1.MessageRequest Message(JsonElement message)
    {
        const string path = "message";
        return new V1.MessageRequest
        {
            AgentId = Id(message, "agent_id", path) ?? throw new JsonConversionException("Missing required fields: message.agent_id"),
            ExecutorId = Id(message, "executor_id", path) ?? throw new JsonConversionException("Missing required fields: message.executor_id"),
            Data = ByteString.CopyFrom(Bytes(message, "data", path) ?? throw new JsonConversionException("Missing required fields: message.data")),
        };
    }

    private static V1.ShutdownRequest Shutdown(JsonElement shutdown)
    {
        const string path = "shutdown";
        return new V1.ShutdownRequest
        {
            ExecutorId = Id(shutdown, "executor_id", path) ?? throw new JsonConversionException("Missing required fields: shutdown.executor_id"),
            AgentId = Id(shutdown, "agent_id", path) ?? throw new JsonConversionException("Missing required fields: shutdown.agent_id"),
        };
    }

    private static V1.AcknowledgeOperationStatusRequest AcknowledgeOperationStatus(JsonElement ack)
    {
        const string path = "acknowledge_operation_status";
        return new V1.AcknowledgeOperationStatusRequest
        {
            AgentId = Id(ack, "agent_id", path) ?? throw new JsonConversionException($"Missing required fields: {path}.agent_id"),
            ResourceProviderId = Id(ack, "resource_provider_id", path) ?? string.Empty,
            Uuid = ByteString.CopyFrom(Bytes(ack, "uuid", path) ?? throw new JsonConversionException($"Missing required fields: {path}.uuid")),
            OperationId = Id(ack, "operation_id", path) ?? throw new JsonConversionException($"Missing required fields: {path}.operation_id"),
        };
    }

    private static V1.ReconcileOperationsRequest ReconcileOperations(JsonElement reconcile)
    {
        const string path = "reconcile_operations.operations";
        var request = new V1.ReconcileOperationsRequest();
        foreach (var operation in Array(reconcile, "operations", "reconcile_operations"))
        {
            request.Operations.Add(new V1.ReconcileOperationsRequest.Types.Operation
            {
                OperationId = Id(operation, "operation_id", path) ?? throw new JsonConversionException($"Missing required fields: {path}.operation_id"),
                AgentId = Id(operation, "agent_id", path) ?? string.Empty,
                ResourceProviderId = Id(operation, "resource_provider_id", path) ?? string.Empty,
            });
        }

        return request;
    }

    private static V1.SubscribeRequest Subscribe(JsonElement subscribe)
    {
        const string path = "subscribe";
        var info = Object(subscribe, "framework_info", path) ?? throw new JsonConversionException("Missing required fields: subscribe.framework_info");
        var request = new V1.SubscribeRequest { FrameworkInfo = FrameworkInfo(info, path + ".framework_info") };
        request.SuppressedRoles.AddRange(Array(subscribe, "suppressed_roles", path).Select(r => AsString(r, path + ".suppressed_roles")));
        return request;
    }

    public static V1.FrameworkInfo FrameworkInfo(JsonElement info, string path)
    {
        var wire = new V1.FrameworkInfo
        {
            User = String(info, "user", path) ?? throw new JsonConversionException($"Missing required fields: {path}.user"),
            Name = String(info, "name", path) ?? throw new JsonConversionException($"Missing required fields: {path}.name"),
            Id = Id(info, "id", path) ?? string.Empty,
            FailoverTimeout = Double(info, "failover_timeout", path) ?? 0,
            Checkpoint = Bool(info, "checkpoint", path) ?? false,
            Hostname = String(info, "hostname", path) ?? string.Empty,
            Principal = String(info, "principal", path) ?? string.Empty,
            WebuiUrl = String(info, "webui_url", path) ?? string.Empty,
        };

        wire.Roles.AddRange(Array(info, "roles", path).Select(r => AsString(r, path + ".roles")));
        foreach (var capability in Array(info, "capabilities", path + ".capabilities"))
        {
            if (Enum<V1.FrameworkInfo.Types.Capability>(capability, "type", path + ".capabilities") is { } known)
            {
                wire.Capabilities.Add(known);
            }
        }

        // A framework without MULTI_ROLE names its one role in the deprecated `role` field (default "*").
        if (wire.Roles.Count == 0)
        {
            wire.Roles.Add(String(info, "role", path) ?? "*");
        }

        return wire;
    }

    private static V1.AcceptRequest Accept(JsonElement accept)
    {
        const string path = "accept";
        var request = new V1.AcceptRequest { Filters = Filters(accept, path) };
        request.OfferIds.AddRange(Array(accept, "offer_ids", path).Select(o => AsId(o, path + ".offer_ids")));
        foreach (var operation in Array(accept, "operations", path))
        {
            var type = String(operation, "type", path + ".operations");
            var operationId = Id(operation, "id", path + ".operations");
            if (type is "RESERVE" or "UNRESERVE")
            {
                var field = type == "RESERVE" ? "reserve" : "unreserve";
                var body = Object(operation, field, path + ".operations")
                    ?? throw new JsonConversionException($"Missing required fields: {path}.operations.{field}");
                var reservation = new V1.ReservationOperation
                {
                    Kind = type == "RESERVE" ? V1.ReservationOperation.Types.Kind.Reserve : V1.ReservationOperation.Types.Kind.Unreserve,
                    Id = operationId ?? string.Empty,
                };
                reservation.Resources.AddRange(Array(body, "resources", $"{path}.operations.{field}").Select(r => Resource(r, $"{path}.operations.{field}.resources")));
                request.Reservations.Add(reservation);
                continue;
            }

            if (type == "LAUNCH_GROUP")
            {
                var groupPath = path + ".operations.launch_group";
                var body = Object(operation, "launch_group", path + ".operations")
                    ?? throw new JsonConversionException($"Missing required fields: {groupPath}");
                var group = new V1.LaunchGroup
                {
                    Executor = Object(body, "executor", groupPath) is { } executor
                        ? Executor(executor, groupPath + ".executor")
                        : throw new JsonConversionException($"Missing required fields: {groupPath}.executor"),
                    OperationId = operationId ?? string.Empty,
                };
                var taskGroup = Object(body, "task_group", groupPath)
                    ?? throw new JsonConversionException($"Missing required fields: {groupPath}.task_group");
                group.Tasks.AddRange(Array(taskGroup, "tasks", groupPath + ".task_group")
                    .Select(t => TaskInfo(t, groupPath + ".task_group.tasks")));
                request.LaunchGroups.Add(group);
                continue;
            }

            if (type is "CREATE" or "DESTROY")
            {
                var field = type == "CREATE" ? "create" : "destroy";
                var body = Object(operation, field, path + ".operations")
                    ?? throw new JsonConversionException($"Missing required fields: {path}.operations.{field}");
                var volumes = new V1.ReservationOperation
                {
                    Kind = type == "CREATE" ? V1.ReservationOperation.Types.Kind.Create : V1.ReservationOperation.Types.Kind.Destroy,
                    Id = operationId ?? string.Empty,
                };
                volumes.Resources.AddRange(Array(body, "volumes", $"{path}.operations.{field}").Select(r => Resource(r, $"{path}.operations.{field}.volumes")));
                request.Reservations.Add(volumes);
                continue;
            }

            if (type is "GROW_VOLUME" or "SHRINK_VOLUME")
            {
                request.Reservations.Add(Resize(operation, type, operationId, path + ".operations"));
                continue;
            }

            if (type != "LAUNCH")
            {
                throw new UnsupportedOperationException(type ?? "UNKNOWN");
            }

            var launch = Object(operation, "launch", path + ".operations");
            if (launch is null)
            {
                continue;
            }

            var tasks = Array(launch.Value, "task_infos", path + ".operations.launch")
                .Select(t => TaskInfo(t, path + ".operations.launch.task_infos"))
                .ToList();
            request.Launch.AddRange(tasks);
            if (operationId is not null)
            {
                foreach (var task in tasks)
                {
                    request.LaunchOperationIds[task.TaskId] = operationId;
                }
            }
        }

        return request;
    }

    /// <summary>
    /// GROW_VOLUME <c>{"volume": Resource, "addition": Resource}</c> and SHRINK_VOLUME <c>{"volume": Resource, "subtract":
    /// {"value": n}}</c> of Offer.Operation, all three required.
    /// </summary>
    private static V1.ReservationOperation Resize(JsonElement operation, string type, string? operationId, string path)
    {
        var grow = type == "GROW_VOLUME";
        var field = grow ? "grow_volume" : "shrink_volume";
        var body = Object(operation, field, path) ?? throw new JsonConversionException($"Missing required fields: {path}.{field}");
        var here = $"{path}.{field}";
        var resize = new V1.ReservationOperation
        {
            Kind = grow ? V1.ReservationOperation.Types.Kind.GrowVolume : V1.ReservationOperation.Types.Kind.ShrinkVolume,
            Id = operationId ?? string.Empty,
        };
        var volume = Object(body, "volume", here) ?? throw new JsonConversionException($"Missing required fields: {here}.volume");
        resize.Resources.Add(Resource(volume, here + ".volume"));
        if (grow)
        {
            resize.Addition = Resource(Object(body, "addition", here) ?? throw new JsonConversionException($"Missing required fields: {here}.addition"), here + ".addition");
        }
        else
        {
            var subtract = Object(body, "subtract", here) ?? throw new JsonConversionException($"Missing required fields: {here}.subtract");
            resize.Subtract = Double(subtract, "value", here + ".subtract") ?? throw new JsonConversionException($"Missing required fields: {here}.subtract.value");
        }

        return resize;
    }

    private static V1.DeclineRequest Decline(JsonElement decline)
    {
        const string path = "decline";
        var request = new V1.DeclineRequest { Filters = Filters(decline, path) };
        request.OfferIds.AddRange(Array(decline, "offer_ids", path).Select(o => AsId(o, path + ".offer_ids")));
        return request;
    }

    private static V1.InverseOffersRequest InverseOffers(JsonElement answer, string path)
    {
        var request = new V1.InverseOffersRequest { Filters = Filters(answer, path) };
        request.InverseOfferIds.AddRange(Array(answer, "inverse_offer_ids", path).Select(o => AsId(o, path + ".inverse_offer_ids")));
        return request;
    }

    private static V1.Filters? Filters(JsonElement parent, string path)
    {
        var filters = Object(parent, "filters", path);
        if (filters is null)
        {
            return null;
        }

        var wire = new V1.Filters();
        if (Double(filters.Value, "refuse_seconds", path + ".filters") is { } seconds)
        {
            wire.RefuseSeconds = seconds;
        }

        return wire;
    }

    private static V1.ReviveRequest Revive(JsonElement? revive)
    {
        var request = new V1.ReviveRequest();
        if (revive is { } r)
        {
            request.Roles.AddRange(Array(r, "roles", "revive").Select(x => AsString(x, "revive.roles")));
        }

        return request;
    }

    private static V1.SuppressRequest Suppress(JsonElement? suppress)
    {
        var request = new V1.SuppressRequest();
        if (suppress is { } s)
        {
            request.Roles.AddRange(Array(s, "roles", "suppress").Select(x => AsString(x, "suppress.roles")));
        }

        return request;
    }

    private static V1.KillRequest Kill(JsonElement kill)
    {
        const string path = "kill";
        return new V1.KillRequest
        {
            TaskId = Id(kill, "task_id", path) ?? throw new JsonConversionException("Missing required fields: kill.task_id"),
            AgentId = Id(kill, "agent_id", path) ?? string.Empty,
            KillPolicy = KillPolicy(kill, path),
        };
    }

    private static V1.AcknowledgeRequest Acknowledge(JsonElement ack)
    {
        const string path = "acknowledge";
        return new V1.AcknowledgeRequest
        {
            AgentId = Id(ack, "agent_id", path) ?? throw new JsonConversionException("Missing required fields: acknowledge.agent_id"),
            TaskId = Id(ack, "task_id", path) ?? throw new JsonConversionException("Missing required fields: acknowledge.task_id"),
            Uuid = ByteString.CopyFrom(Bytes(ack, "uuid", path) ?? throw new JsonConversionException("Missing required fields: acknowledge.uuid")),
        };
    }

    private static V1.ReconcileRequest Reconcile(JsonElement reconcile)
    {
        const string path = "reconcile.tasks";
        var request = new V1.ReconcileRequest();
        foreach (var task in Array(reconcile, "tasks", "reconcile"))
        {
            request.Tasks.Add(new V1.ReconcileRequest.Types.Task
            {
                TaskId = Id(task, "task_id", path) ?? throw new JsonConversionException("Missing required fields: reconcile.tasks.task_id"),
                AgentId = Id(task, "agent_id", path) ?? string.Empty,
            });
        }

        return request;
    }

    private static V1.KillPolicy? KillPolicy(JsonElement parent, string path)
    {
        var policy = Object(parent, "kill_policy", path);
        if (policy is null)
        {
            return null;
        }

        var wire = new V1.KillPolicy();
        if (Object(policy.Value, "grace_period", path + ".kill_policy") is { } grace)
        {
            wire.GracePeriodNanoseconds = Int64(grace, "nanoseconds", path + ".kill_policy.grace_period")
                ?? throw new JsonConversionException($"Missing required fields: {path}.kill_policy.grace_period.nanoseconds");
        }

        return wire;
    }

    private static V1.TaskInfo TaskInfo(JsonElement task, string path)
    {
        if (task.ValueKind != JsonValueKind.Object)
        {
            throw new JsonConversionException($"Not expecting a JSON value other than an object for field '{path}'");
        }

        var wire = new V1.TaskInfo
        {
            Name = String(task, "name", path) ?? throw new JsonConversionException($"Missing required fields: {path}.name"),
            TaskId = Id(task, "task_id", path) ?? throw new JsonConversionException($"Missing required fields: {path}.task_id"),
            AgentId = Id(task, "agent_id", path) ?? throw new JsonConversionException($"Missing required fields: {path}.agent_id"),
            Data = ByteString.CopyFrom(Bytes(task, "data", path) ?? []),
            KillPolicy = KillPolicy(task, path),
        };
        wire.Resources.AddRange(Array(task, "resources", path).Select(r => Resource(r, path + ".resources")));

        if (Object(task, "command", path) is { } command)
        {
            wire.Command = Command(command, path + ".command");
        }

        if (Object(task, "executor", path) is { } executor)
        {
            wire.Executor = Executor(executor, path + ".executor");
        }

        if (Object(task, "health_check", path) is { } check)
        {
            wire.HealthCheck = HealthCheck(check, path + ".health_check");
        }

        if (Object(task, "labels", path) is { } labels)
        {
            wire.Labels = new V1.Labels();
            foreach (var label in Array(labels, "labels", path + ".labels"))
            {
                var labelPath = path + ".labels.labels";
                wire.Labels.Labels_.Add(new V1.Label
                {
                    Key = String(label, "key", labelPath) ?? throw new JsonConversionException($"Missing required fields: {labelPath}.key"),
                    Value = String(label, "value", labelPath) ?? string.Empty,
                });
            }
        }

        return wire;
    }

    private static V1.CommandInfo Command(JsonElement command, string commandPath)
    {
        var wire = new V1.CommandInfo
        {
            Value = String(command, "value", commandPath) ?? string.Empty,
            Shell = Bool(command, "shell", commandPath) ?? true,
            User = String(command, "user", commandPath) ?? string.Empty,
        };
        wire.Arguments.AddRange(Array(command, "arguments", commandPath).Select(a => AsString(a, commandPath + ".arguments")));
        if (Object(command, "environment", commandPath) is { } environment)
        {
            wire.Environment = new V1.Environment();
            foreach (var variable in Array(environment, "variables", commandPath + ".environment"))
            {
                var variablePath = commandPath + ".environment.variables";
                wire.Environment.Variables.Add(new V1.Environment.Types.Variable
                {
                    Name = String(variable, "name", variablePath) ?? throw new JsonConversionException($"Missing required fields: {variablePath}.name"),
                    Value = String(variable, "value", variablePath) ?? string.Empty,
                });
            }
        }

        foreach (var uri in Array(command, "uris", commandPath))
        {
            var uriPath = commandPath + ".uris";
            var wireUri = new V1.CommandInfo.Types.URI
            {
                Value = String(uri, "value", uriPath) ?? throw new JsonConversionException($"Missing required fields: {uriPath}.value"),
                Executable = Bool(uri, "executable", uriPath) ?? false,
                Cache = Bool(uri, "cache", uriPath) ?? false,
                OutputFile = String(uri, "output_file", uriPath) ?? string.Empty,
            };
            if (Bool(uri, "extract", uriPath) is { } extract)
            {
                wireUri.Extract = extract;
            }

            wire.Uris.Add(wireUri);
        }

        return wire;
    }

    /// <summary>Mesos' ExecutorInfo: of a task for a custom executor (TaskInfo.executor), or of a task group.</summary>
    private static V1.ExecutorInfo Executor(JsonElement executor, string path)
    {
        var wire = new V1.ExecutorInfo
        {
            ExecutorId = Id(executor, "executor_id", path) ?? throw new JsonConversionException($"Missing required fields: {path}.executor_id"),
            FrameworkId = Id(executor, "framework_id", path) ?? string.Empty,
            Name = String(executor, "name", path) ?? string.Empty,
            Data = ByteString.CopyFrom(Bytes(executor, "data", path) ?? []),
        };
        if (String(executor, "type", path) is { } type)
        {
            // A name this version does not know reads as UNKNOWN, which LAUNCH_GROUP refuses ("Unknown executor type").
            wire.Type = EnumName<V1.ExecutorInfo.Types.Type>(type) ?? V1.ExecutorInfo.Types.Type.Unknown;
        }

        wire.Resources.AddRange(Array(executor, "resources", path).Select(r => Resource(r, path + ".resources")));
        if (Object(executor, "command", path) is { } command)
        {
            wire.Command = Command(command, path + ".command");
        }

        if (Object(executor, "shutdown_grace_period", path) is { } grace)
        {
            wire.ShutdownGracePeriodNanoseconds = Int64(grace, "nanoseconds", path + ".shutdown_grace_period")
                ?? throw new JsonConversionException($"Missing required fields: {path}.shutdown_grace_period.nanoseconds");
        }

        return wire;
    }

    /// <summary>Mesos' HealthCheck; absent timings stay absent so that the agent applies Mesos' defaults.</summary>
    private static V1.HealthCheck HealthCheck(JsonElement check, string path)
    {
        var type = String(check, "type", path);
        var wire = new V1.HealthCheck
        {
            // A type this version does not know is left UNKNOWN, as stout leaves an unknown enum unset; the master
            // then refuses the task naming the health check.
            Type = type is null ? V1.HealthCheck.Types.Type.Unknown : EnumName<V1.HealthCheck.Types.Type>(type) ?? V1.HealthCheck.Types.Type.Unknown,
        };
        if (Double(check, "delay_seconds", path) is { } delay)
        {
            wire.DelaySeconds = delay;
        }

        if (Double(check, "interval_seconds", path) is { } interval)
        {
            wire.IntervalSeconds = interval;
        }

        if (Double(check, "timeout_seconds", path) is { } timeout)
        {
            wire.TimeoutSeconds = timeout;
        }

        if (Double(check, "grace_period_seconds", path) is { } grace)
        {
            wire.GracePeriodSeconds = grace;
        }

        if (UInt64(check, "consecutive_failures", path) is { } failures)
        {
            wire.ConsecutiveFailures = failures <= uint.MaxValue ? (uint)failures : throw new JsonConversionException($"Field '{path}.consecutive_failures' is out of range for uint32");
        }

        if (Object(check, "command", path) is { } command)
        {
            wire.Command = Command(command, path + ".command");
        }

        if (Object(check, "http", path) is { } http)
        {
            wire.Http = new V1.HealthCheck.Types.HTTPCheckInfo
            {
                Port = Port(http, path + ".http"),
                Scheme = String(http, "scheme", path + ".http") ?? string.Empty,
                Path = String(http, "path", path + ".http") ?? string.Empty,
            };
        }

        if (Object(check, "tcp", path) is { } tcp)
        {
            wire.Tcp = new V1.HealthCheck.Types.TCPCheckInfo { Port = Port(tcp, path + ".tcp") };
        }

        return wire;
    }

    private static uint Port(JsonElement parent, string path) =>
        UInt64(parent, "port", path) switch
        {
            null => throw new JsonConversionException($"Missing required fields: {path}.port"),
            <= uint.MaxValue and var port => (uint)port,
            _ => throw new JsonConversionException($"Field '{path}.port' is out of range for uint32"),
        };

    public static V1.Resource Resource(JsonElement resource, string path)
    {
        if (resource.ValueKind != JsonValueKind.Object)
        {
            throw new JsonConversionException($"Not expecting a JSON value other than an object for field '{path}'");
        }

        var wire = new V1.Resource
        {
            Name = String(resource, "name", path) ?? throw new JsonConversionException($"Missing required fields: {path}.name"),
            Type = Enum<V1.Value.Types.Type>(resource, "type", path) ?? throw new JsonConversionException($"Missing required fields: {path}.type"),
            Role = String(resource, "role", path) ?? string.Empty,
        };

        if (Object(resource, "scalar", path) is { } scalar)
        {
            wire.Scalar = new V1.Value.Types.Scalar
            {
                Value = Double(scalar, "value", path + ".scalar") ?? throw new JsonConversionException($"Missing required fields: {path}.scalar.value"),
            };
        }

        if (Object(resource, "ranges", path) is { } ranges)
        {
            wire.Ranges = new V1.Value.Types.Ranges();
            foreach (var range in Array(ranges, "range", path + ".ranges"))
            {
                var rangePath = path + ".ranges.range";
                wire.Ranges.Range.Add(new V1.Value.Types.Range
                {
                    Begin = UInt64(range, "begin", rangePath) ?? throw new JsonConversionException($"Missing required fields: {rangePath}.begin"),
                    End = UInt64(range, "end", rangePath) ?? throw new JsonConversionException($"Missing required fields: {rangePath}.end"),
                });
            }
        }

        if (Object(resource, "set", path) is { } set)
        {
            wire.Set = new V1.Value.Types.Set();
            wire.Set.Item.AddRange(Array(set, "item", path + ".set").Select(i => AsString(i, path + ".set.item")));
        }

        if (Object(resource, "allocation_info", path) is { } allocation && String(allocation, "role", path + ".allocation_info") is { } role)
        {
            wire.AllocationInfo = new V1.AllocationInfo { Role = role };
        }

        if (Object(resource, "reservation", path) is { } reservation)
        {
            wire.Reservation = Reservation(reservation, path + ".reservation");
        }

        wire.Reservations.AddRange(Array(resource, "reservations", path).Select(r => Reservation(r, path + ".reservations")));
        if (Object(resource, "disk", path) is { } disk)
        {
            wire.Disk = Disk(disk, path + ".disk");
        }

        return wire;
    }

    private static V1.DiskInfo Disk(JsonElement disk, string path)
    {
        var wire = new V1.DiskInfo();
        if (Object(disk, "persistence", path) is { } persistence)
        {
            wire.Persistence = new V1.DiskInfo.Types.Persistence
            {
                Id = String(persistence, "id", path + ".persistence") ?? throw new JsonConversionException($"Missing required fields: {path}.persistence.id"),
                Principal = String(persistence, "principal", path + ".persistence") ?? string.Empty,
            };
        }

        if (Object(disk, "volume", path) is { } volume)
        {
            var mode = String(volume, "mode", path + ".volume");
            wire.Volume = new V1.Volume
            {
                Mode = mode switch
                {
                    null => throw new JsonConversionException($"Missing required fields: {path}.volume.mode"),
                    "RW" => V1.Volume.Types.Mode.Rw,
                    "RO" => V1.Volume.Types.Mode.Ro,
                    _ => throw new JsonConversionException($"Invalid value '{mode}' for enum field '{path}.volume.mode': RW or RO"),
                },
                ContainerPath = String(volume, "container_path", path + ".volume") ?? throw new JsonConversionException($"Missing required fields: {path}.volume.container_path"),
                HostPath = String(volume, "host_path", path + ".volume") ?? string.Empty,
            };
        }

        return wire;
    }

    private static V1.ReservationInfo Reservation(JsonElement reservation, string path)
    {
        if (reservation.ValueKind != JsonValueKind.Object)
        {
            throw new JsonConversionException($"Not expecting a JSON value other than an object for field '{path}'");
        }

        var type = String(reservation, "type", path);
        var wire = new V1.ReservationInfo
        {
            Type = type switch
            {
                null => V1.ReservationInfo.Types.Type.Unknown,
                "STATIC" => V1.ReservationInfo.Types.Type.Static,
                "DYNAMIC" => V1.ReservationInfo.Types.Type.Dynamic,
                _ => throw new JsonConversionException($"Invalid value '{type}' for enum field '{path}.type': STATIC or DYNAMIC"),
            },
            Role = String(reservation, "role", path) ?? string.Empty,
            Principal = String(reservation, "principal", path) ?? string.Empty,
        };
        if (Object(reservation, "labels", path) is { } labels)
        {
            foreach (var label in Array(labels, "labels", path + ".labels"))
            {
                var value = String(label, "value", path + ".labels.labels");
                wire.Labels.Add(new V1.ReservationLabel
                {
                    Key = String(label, "key", path + ".labels.labels") ?? throw new JsonConversionException($"Missing required fields: {path}.labels.labels.key"),
                    Value = value ?? string.Empty,
                    HasValue = value is not null,
                });
            }
        }

        return wire;
    }
}
