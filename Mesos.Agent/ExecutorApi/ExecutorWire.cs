using Google.Protobuf;
using Mesos.Hosting.Http;
using Mesos.Protocol.Wire.Transcoding;
using V1 = Mesos.Protocol.V1;
using Wire = Mesos.Protocol.Wire;
using WireExecutor = Mesos.Protocol.Wire.Executor;

namespace Mesos.Agent.ExecutorApi;

/// <summary>
/// Between the agent's own messages (the gRPC contract, <c>Mesos.Protocol.V1</c>) and Mesos' v1 executor API messages
/// (<c>Mesos.Protocol.Wire</c>, Mesos' field numbers), and the two encodings of the latter.
/// </summary>
public static class ExecutorWire
{
    public const string Json = ApiMediaTypes.Json;
    public const string Protobuf = ApiMediaTypes.Protobuf;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>An event for the executor, in Mesos' JSON (64-bit integers as numbers, ASCII only) or protobuf.</summary>
    public static byte[] Encode(WireExecutor.Event @event, string contentType) =>
        contentType == Protobuf ? @event.ToByteArray() : StoutJson.Serialize(@event);

    /// <summary>Parses a call in the given encoding; <see cref="FormatException"/> carries Mesos' message.</summary>
    public static WireExecutor.Call ParseCall(ReadOnlySpan<byte> body, string contentType) =>
        ParseCall(body, contentType, WireExecutor.Call.Parser);

    /// <summary>Parses a call of any v1 API the agent serves (executor, operator) in the given encoding.</summary>
    public static T ParseCall<T>(ReadOnlySpan<byte> body, string contentType, MessageParser<T> parser)
        where T : IMessage<T>, new()
    {
        if (contentType == Protobuf)
        {
            try
            {
                return parser.ParseFrom(body);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new FormatException("Failed to parse body into Call protobuf: " + e.Message, e);
            }
        }

        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(body);
            using var document = System.Text.Json.JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new FormatException("Failed to parse body into JSON: not a JSON object");
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or System.Text.DecoderFallbackException)
        {
            throw new FormatException("Failed to parse body into JSON: " + e.Message, e);
        }

        try
        {
            return Parser.Parse<T>(text);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or OverflowException or ArgumentException)
        {
            throw new FormatException("Failed to convert JSON into Call protobuf: " + e.Message, e);
        }
    }

    public static Wire.TaskInfo ToWire(V1.TaskInfo task)
    {
        var wire = new Wire.TaskInfo
        {
            Name = task.Name,
            TaskId = new Wire.TaskID { Value = task.TaskId },
            AgentId = new Wire.AgentID { Value = task.AgentId },
        };
        wire.Resources.AddRange(task.Resources.Select(ToWire));
        if (task.Executor is { } executor)
        {
            wire.Executor = ToWire(executor);
        }

        if (task.Command is { } command)
        {
            wire.Command = ToWire(command);
        }

        if (!task.Data.IsEmpty)
        {
            wire.Data = task.Data;
        }

        if (task.KillPolicy is { } policy)
        {
            wire.KillPolicy = ToWire(policy);
        }

        return wire;
    }

    public static Wire.KillPolicy ToWire(V1.KillPolicy policy)
    {
        var wire = new Wire.KillPolicy();
        if (policy.HasGracePeriodNanoseconds)
        {
            wire.GracePeriod = new Wire.DurationInfo { Nanoseconds = policy.GracePeriodNanoseconds };
        }

        return wire;
    }

    public static Wire.ExecutorInfo ToWire(V1.ExecutorInfo executor)
    {
        var wire = new Wire.ExecutorInfo
        {
            Type = Wire.ExecutorInfo.Types.Type.Custom,
            ExecutorId = new Wire.ExecutorID { Value = executor.ExecutorId },
            FrameworkId = new Wire.FrameworkID { Value = executor.FrameworkId },
            Command = executor.Command is null ? null : ToWire(executor.Command),
        };
        wire.Resources.AddRange(executor.Resources.Select(ToWire));
        if (executor.Name.Length > 0)
        {
            wire.Name = executor.Name;
        }

        if (!executor.Data.IsEmpty)
        {
            wire.Data = executor.Data;
        }

        if (executor.HasShutdownGracePeriodNanoseconds)
        {
            wire.ShutdownGracePeriod = new Wire.DurationInfo { Nanoseconds = executor.ShutdownGracePeriodNanoseconds };
        }

        return wire;
    }

    public static Wire.CommandInfo ToWire(V1.CommandInfo command)
    {
        var wire = new Wire.CommandInfo { Value = command.Value, Shell = !command.HasShell || command.Shell };
        wire.Arguments.AddRange(command.Arguments);
        if (command.User.Length > 0)
        {
            wire.User = command.User;
        }

        if (command.Environment is { } environment)
        {
            wire.Environment = new Wire.Environment();
            wire.Environment.Variables.AddRange(environment.Variables.Select(v => new Wire.Environment.Types.Variable { Name = v.Name, Value = v.Value }));
        }

        return wire;
    }

    public static Wire.Resource ToWire(V1.Resource resource)
    {
        var wire = new Wire.Resource
        {
            Name = resource.Name,
            Type = (Wire.Value.Types.Type)(int)resource.Type,
            Scalar = ToWire(resource.Scalar),
            Ranges = ToWire(resource.Ranges),
            Set = ToWire(resource.Set),
        };

        if (resource.Role.Length > 0)
        {
#pragma warning disable CS0612 // Mesos still writes the deprecated role of pre-MULTI_ROLE resources.
            wire.Role = resource.Role;
#pragma warning restore CS0612
        }

        if (resource.AllocationInfo is { } allocation)
        {
            wire.AllocationInfo = new Wire.Resource.Types.AllocationInfo { Role = allocation.Role };
        }

        return wire;
    }

    public static Wire.Attribute ToWire(V1.Attribute attribute) => new()
    {
        Name = attribute.Name,
        Type = (Wire.Value.Types.Type)(int)attribute.Type,
        Scalar = ToWire(attribute.Scalar),
        Ranges = ToWire(attribute.Ranges),
        Set = ToWire(attribute.Set),
        Text = attribute.Text is { } text ? new Wire.Value.Types.Text { Value = text.Value } : null,
    };

    private static Wire.Value.Types.Scalar? ToWire(V1.Value.Types.Scalar? scalar) =>
        scalar is null ? null : new Wire.Value.Types.Scalar { Value = scalar.Value };

    private static Wire.Value.Types.Ranges? ToWire(V1.Value.Types.Ranges? ranges)
    {
        if (ranges is null)
        {
            return null;
        }

        var wire = new Wire.Value.Types.Ranges();
        wire.Range.AddRange(ranges.Range.Select(r => new Wire.Value.Types.Range { Begin = r.Begin, End = r.End }));
        return wire;
    }

    private static Wire.Value.Types.Set? ToWire(V1.Value.Types.Set? set)
    {
        if (set is null)
        {
            return null;
        }

        var wire = new Wire.Value.Types.Set();
        wire.Item.AddRange(set.Item);
        return wire;
    }

    public static Wire.FrameworkInfo ToWire(V1.FrameworkInfo framework)
    {
        var wire = new Wire.FrameworkInfo
        {
            User = framework.User,
            Name = framework.Name,
            Id = new Wire.FrameworkID { Value = framework.Id },
            FailoverTimeout = framework.FailoverTimeout,
            Checkpoint = framework.Checkpoint,
        };
        wire.Roles.AddRange(framework.Roles);
        if (framework.Hostname.Length > 0)
        {
            wire.Hostname = framework.Hostname;
        }

        if (framework.Principal.Length > 0)
        {
            wire.Principal = framework.Principal;
        }

        if (framework.WebuiUrl.Length > 0)
        {
            wire.WebuiUrl = framework.WebuiUrl;
        }

        wire.Capabilities.AddRange(framework.Capabilities.Select(c => new Wire.FrameworkInfo.Types.Capability
        {
            Type = (Wire.FrameworkInfo.Types.Capability.Types.Type)(int)c,
        }));
        return wire;
    }

    public static Wire.AgentInfo ToWire(string agentId, string hostname, int port, IEnumerable<V1.Resource> resources)
    {
        var wire = new Wire.AgentInfo { Hostname = hostname, Port = port, Id = new Wire.AgentID { Value = agentId } };
        wire.Resources.AddRange(resources.Select(ToWire));
        return wire;
    }

    /// <summary>An executor's update, in the agent's own form; the executor's uuid is kept as it sent it.</summary>
    public static V1.TaskStatus ToAgent(Wire.TaskStatus status, string frameworkId, string agentId)
    {
        var own = new V1.TaskStatus
        {
            TaskId = status.TaskId?.Value ?? string.Empty,
            FrameworkId = frameworkId,
            AgentId = agentId,
            ExecutorId = status.ExecutorId?.Value ?? string.Empty,
            State = (V1.TaskState)(int)status.State,
            Message = status.Message,
            Source = V1.TaskStatus.Types.Source.Executor,
            Timestamp = status.HasTimestamp ? status.Timestamp : 0,
            Uuid = status.Uuid,
        };
        if (status.HasReason)
        {
            own.Reason = (V1.TaskStatus.Types.Reason)(int)status.Reason;
        }

        if (status.HasHealthy)
        {
            own.Healthy = status.Healthy;
        }

        return own;
    }
}
