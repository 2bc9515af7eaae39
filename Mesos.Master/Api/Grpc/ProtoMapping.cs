using Google.Protobuf;
using Mesos.Core.Agents;
using Mesos.Core.Attributes;
using Mesos.Core.Collections;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Masters;
using Mesos.Core.Reservations;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Protocol.Mapping;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>
/// The one place where gRPC wire types and core types meet. Wire input is validated here; anything malformed
/// becomes a <see cref="WireFormatException"/> that names the field, so the edge answers InvalidArgument.
/// </summary>
public static class ProtoMapping
{
    public static ResourceSet ToCore(IEnumerable<V1.Resource> resources, string field)
    {
        var list = new List<Resource>();
        foreach (var r in resources)
        {
            if (string.IsNullOrWhiteSpace(r.Name))
            {
                throw new WireFormatException($"{field}: a resource has no name");
            }

            var role = string.IsNullOrEmpty(r.Role) ? Resource.UnreservedRole : r.Role;
            if (!Roles.IsValid(role, out var roleError))
            {
                throw new WireFormatException($"{field}: resource '{r.Name}': {roleError}");
            }

            var reservations = Reservations(r, role, $"{field}: resource '{r.Name}'");
            list.Add((r.Type switch
            {
                V1.Value.Types.Type.Scalar => r.Scalar is { } s && double.IsFinite(s.Value) && s.Value >= 0
                    ? Resource.OfScalar(r.Name, s.Value)
                    : throw new WireFormatException($"{field}: scalar resource '{r.Name}' needs a finite, non-negative scalar.value"),
                V1.Value.Types.Type.Ranges => Resource.OfRanges(r.Name, ToCore(r.Ranges, $"{field}: resource '{r.Name}'")),
                V1.Value.Types.Type.Set => Resource.OfSet(r.Name, ItemSet.Of(r.Set?.Item ?? Enumerable.Empty<string>())),
                _ => throw new WireFormatException($"{field}: resource '{r.Name}' has type {r.Type}, which resources cannot have"),
            }).WithReservations(reservations).WithVolume(Volume(r, $"{field}: resource '{r.Name}'")));
        }

        return ResourceSet.Of(list);
    }

    public static ReservationOperation ToCore(V1.ReservationOperation operation) => operation.Kind switch
    {
        V1.ReservationOperation.Types.Kind.Unreserve => new(ReservationOperationKind.Unreserve, ToCore(operation.Resources, "unreserve.resources")),
        V1.ReservationOperation.Types.Kind.Create => new(ReservationOperationKind.Create, ToCore(operation.Resources, "create.volumes")),
        V1.ReservationOperation.Types.Kind.Destroy => new(ReservationOperationKind.Destroy, ToCore(operation.Resources, "destroy.volumes")),
        V1.ReservationOperation.Types.Kind.GrowVolume => new(ReservationOperationKind.GrowVolume, ToCore(operation.Resources, "grow_volume.volume"))
        {
            Addition = operation.Addition is { } addition ? ToCore([addition], "grow_volume.addition") : ResourceSet.Empty,
        },
        V1.ReservationOperation.Types.Kind.ShrinkVolume => new(ReservationOperationKind.ShrinkVolume, ToCore(operation.Resources, "shrink_volume.volume"))
        {
            Subtract = Subtract(operation.Subtract, "shrink_volume.subtract"),
        },
        _ => new(ReservationOperationKind.Reserve, ToCore(operation.Resources, "reserve.resources")),
    };

    /// <summary>SHRINK_VOLUME's <c>subtract</c>; a negative one reaches the decider as zero, which it refuses with Mesos' message.</summary>
    public static ScalarValue Subtract(double value, string field)
    {
        try
        {
            return ScalarValue.FromDouble(Math.Max(0, value));
        }
        catch (ArgumentException ex)
        {
            throw new WireFormatException($"{field}: {ex.Message}");
        }
    }

    /// <summary>
    /// A DiskInfo as a persistent volume. What Mesos refuses outright (a volume without persistence, a host_path, a
    /// DiskInfo on something that is not disk) is refused here with its message; the rest is the decider's to check.
    /// </summary>
    private static DiskVolume? Volume(V1.Resource r, string what)
    {
        if (r.Disk is not { } disk)
        {
            return null;
        }

        if (disk.Persistence is null)
        {
            return disk.Volume is null ? null : throw new WireFormatException($"{what}: Invalid DiskInfo: Non-persistent volume not supported");
        }

        if (disk.Volume is not { } volume)
        {
            throw new WireFormatException($"{what}: Invalid DiskInfo: Expecting 'volume' to be set for persistent volume");
        }

        if (volume.HostPath.Length > 0)
        {
            throw new WireFormatException($"{what}: Invalid DiskInfo: Expecting 'host_path' to be unset for persistent volume");
        }

        if (r.Name != "disk" || r.Type != V1.Value.Types.Type.Scalar)
        {
            throw new WireFormatException($"{what}: Invalid resources: DiskInfo should not be set for {r.Name} resource");
        }

        return new DiskVolume(
            disk.Persistence.Id,
            disk.Persistence.Principal.Length > 0 ? disk.Persistence.Principal : null,
            volume.ContainerPath,
            volume.Mode == V1.Volume.Types.Mode.Ro ? VolumeMode.Ro : VolumeMode.Rw);
    }

    /// <summary>
    /// The reservation stack in either of Mesos' formats: <c>reservations</c> (post-refinement), or <c>role</c> with an
    /// optional <c>reservation</c> (pre-refinement: dynamic when present, static otherwise). Given both, they must agree.
    /// </summary>
    private static System.Collections.Immutable.ImmutableArray<ResourceReservation> Reservations(V1.Resource r, string role, string what)
    {
        System.Collections.Immutable.ImmutableArray<ResourceReservation> stack;
        if (r.Reservations.Count > 0)
        {
            stack = [.. r.Reservations.Select(x => new ResourceReservation(
                x.Type switch
                {
                    V1.ReservationInfo.Types.Type.Static => ReservationType.Static,
                    V1.ReservationInfo.Types.Type.Dynamic => ReservationType.Dynamic,
                    _ => throw new WireFormatException($"{what}: a reservation has no type (STATIC or DYNAMIC)"),
                },
                x.Role,
                string.IsNullOrEmpty(x.Principal) ? null : x.Principal,
                Labels(x)))];
            if (role != Resource.UnreservedRole && stack[^1].Role != role)
            {
                throw new WireFormatException($"{what}: 'role' is '{role}' but the last of 'reservations' is for '{stack[^1].Role}'");
            }
        }
        else if (role == Resource.UnreservedRole)
        {
            if (r.Reservation is not null)
            {
                throw new WireFormatException($"{what}: 'reservation' is set but the resource has no role");
            }

            return [];
        }
        else
        {
            stack = r.Reservation is { } reservation
                ? [ResourceReservation.Dynamic(role, reservation.Principal, Labels(reservation))]
                : [ResourceReservation.Static(role)];
        }

        return ReservationText.TryValidate(stack, out var error) ? stack : throw new WireFormatException($"{what}: {error}");
    }

    private static ValueArray<ReservationLabel> Labels(V1.ReservationInfo reservation) =>
        ValueArray.From(reservation.Labels.Select(l => new ReservationLabel(l.Key, l.HasValue || l.Value.Length > 0 ? l.Value : null)));

    private static RangeSet ToCore(V1.Value.Types.Ranges? ranges, string what)
    {
        if (ranges is null)
        {
            return RangeSet.Empty;
        }

        foreach (var range in ranges.Range)
        {
            if (range.End < range.Begin)
            {
                throw new WireFormatException($"{what}: range {range.Begin}-{range.End} ends before it begins");
            }
        }

        return RangeSet.Of(ranges.Range.Select(r => new ValueRange(r.Begin, r.End)));
    }

    public static IEnumerable<V1.Resource> ToWire(ResourceSet resources, string? allocationRole = null, ReservationFormat format = ReservationFormat.Endpoint) =>
        WireForm.Of(resources, allocationRole, format);

    public static AgentAttributes ToCore(IEnumerable<V1.Attribute> attributes)
    {
        var list = new List<AgentAttribute>();
        foreach (var a in attributes)
        {
            if (string.IsNullOrWhiteSpace(a.Name))
            {
                throw new WireFormatException("agent_info.attributes: an attribute has no name");
            }

            list.Add(a.Type switch
            {
                V1.Value.Types.Type.Scalar => AgentAttribute.OfScalar(a.Name, ScalarValue.FromDouble(a.Scalar?.Value ?? 0)),
                V1.Value.Types.Type.Ranges => AgentAttribute.OfRanges(a.Name, ToCore(a.Ranges, $"attribute '{a.Name}'")),
                V1.Value.Types.Type.Set => AgentAttribute.OfSet(a.Name, ItemSet.Of(a.Set?.Item ?? Enumerable.Empty<string>())),
                _ => AgentAttribute.OfText(a.Name, a.Text?.Value ?? string.Empty),
            });
        }

        return AgentAttributes.Of(list);
    }

    public static IEnumerable<V1.Attribute> ToWire(AgentAttributes attributes) => WireForm.Of(attributes);

    public static AgentInfo ToCore(V1.AgentInfo? info)
    {
        if (info is null)
        {
            throw new WireFormatException("agent_info is required");
        }

        if (string.IsNullOrWhiteSpace(info.Hostname))
        {
            throw new WireFormatException("agent_info.hostname is required");
        }

        if (info.Port is <= 0 or > 65535)
        {
            throw new WireFormatException($"agent_info.port {info.Port} is not a port number");
        }

        return new AgentInfo(info.Hostname, info.Port, ToCore(info.Resources, "agent_info.resources"), ToCore(info.Attributes));
    }

    public static V1.AgentInfo ToWire(AgentId id, AgentInfo info)
    {
        var wire = new V1.AgentInfo { Id = id.Value, Hostname = info.Hostname, Port = info.Port };
        wire.Resources.AddRange(ToWire(info.Resources));
        wire.Attributes.AddRange(ToWire(info.Attributes));
        return wire;
    }

    public static FrameworkInfo ToCore(V1.FrameworkInfo? info)
    {
        if (info is null)
        {
            throw new WireFormatException("framework_info is required");
        }

        if (!double.IsFinite(info.FailoverTimeout) || info.FailoverTimeout < 0)
        {
            throw new WireFormatException("framework_info.failover_timeout must be a finite, non-negative number of seconds");
        }

        return new FrameworkInfo(
            Name: info.Name,
            User: info.User,
            Roles: ValueArray.From(info.Roles),
            FailoverTimeoutSeconds: info.FailoverTimeout,
            Checkpoint: info.Checkpoint,
            Principal: info.Principal,
            Hostname: info.Hostname,
            WebUiUrl: info.WebuiUrl,
            Capabilities: ValueArray.From(info.Capabilities.Select(c => (FrameworkCapability)(int)c)));
    }

    public static V1.FrameworkInfo ToWire(FrameworkId id, FrameworkInfo info)
    {
        var wire = new V1.FrameworkInfo
        {
            Id = id.Value,
            Name = info.Name,
            User = info.User,
            FailoverTimeout = info.FailoverTimeoutSeconds,
            Checkpoint = info.Checkpoint,
            Principal = info.Principal,
            Hostname = info.Hostname,
            WebuiUrl = info.WebUiUrl,
        };
        wire.Roles.AddRange(info.Roles);
        wire.Capabilities.AddRange(info.Capabilities.Select(c => (V1.FrameworkInfo.Types.Capability)(int)c));
        return wire;
    }

    /// <summary>
    /// A task as the core takes it. A task of a group (<paramref name="inGroup"/>) runs on the group's executor, so it
    /// may have neither a command nor an executor of its own.
    /// </summary>
    public static TaskInfo ToCore(V1.TaskInfo task, bool inGroup)
    {
        if (!inGroup && (task.Command is null) == (task.Executor is null))
        {
            throw new WireFormatException($"task '{task.TaskId}': Task should have at least one (but not both) of CommandInfo or ExecutorInfo present");
        }

        TimeSpan? grace = task.KillPolicy is { HasGracePeriodNanoseconds: true } policy
            ? policy.GracePeriodNanoseconds >= 0
                ? TimeSpan.FromTicks(policy.GracePeriodNanoseconds / 100)
                : throw new WireFormatException($"task '{task.TaskId}': kill_policy.grace_period must not be negative")
            : null;

        return new TaskInfo(
            new TaskId(task.TaskId),
            string.IsNullOrEmpty(task.Name) ? task.TaskId : task.Name,
            new AgentId(task.AgentId),
            ToCore(task.Resources, $"task '{task.TaskId}' resources"),
            task.Command is null ? null : ToCore(task.Command),
            grace);
    }

    public static TaskInfo ToCore(V1.TaskInfo task) => ToCore(task, inGroup: false);

    public static CommandInfo ToCore(V1.CommandInfo command) =>
        new(
            command.Value,
            !command.HasShell || command.Shell,
            ValueArray.From(command.Arguments),
            ValueArray.From((command.Environment?.Variables ?? []).Select(v => new EnvironmentVariable(v.Name, v.Value))),
            string.IsNullOrEmpty(command.User) ? null : command.User);
    /// <summary>What of a wire TaskInfo only the agent uses; Mesos' defaults (extract true) are resolved here.</summary>
    public static TaskLaunchDetails ToCoreDetails(V1.TaskInfo task)
    {
        var uris = ValueArray.From((task.Command?.Uris ?? []).Select(u => new CommandUri(u.Value, u.Executable, !u.HasExtract || u.Extract, u.Cache, u.OutputFile)));
        var labels = ValueArray.From((task.Labels?.Labels_ ?? []).Select(l => new TaskLabel(l.Key, l.Value)));
        var check = task.HealthCheck is { } wire ? ToCore(wire, task.TaskId) : null;
        return uris.IsEmpty && labels.IsEmpty && check is null ? TaskLaunchDetails.None : new TaskLaunchDetails(uris, check, labels);
    }

    /// <summary>The launch details of a call's tasks by task id, for <see cref="Core.Commands.AcceptOffers"/>.</summary>
    public static IReadOnlyDictionary<TaskId, TaskLaunchDetails> ToCoreDetails(IEnumerable<V1.TaskInfo> tasks)
    {
        var details = new Dictionary<TaskId, TaskLaunchDetails>();
        foreach (var task in tasks)
        {
            // A repeated task id is refused by decide; the first one's details are as good as any.
            details.TryAdd(new TaskId(task.TaskId), ToCoreDetails(task));
        }

        return details;
    }

    private static HealthCheck ToCore(V1.HealthCheck check, string taskId)
    {
        var type = check.Type switch
        {
            V1.HealthCheck.Types.Type.Command => HealthCheckType.Command,
            V1.HealthCheck.Types.Type.Http => HealthCheckType.Http,
            V1.HealthCheck.Types.Type.Tcp => HealthCheckType.Tcp,
            _ => throw new WireFormatException($"task '{taskId}': HealthCheck must specify 'type'"),
        };
        var command = check.Command is { } c ? ToCore(c) : null;
        return new HealthCheck(
            type,
            check.HasDelaySeconds ? check.DelaySeconds : null,
            check.HasIntervalSeconds ? check.IntervalSeconds : null,
            check.HasTimeoutSeconds ? check.TimeoutSeconds : null,
            check.HasConsecutiveFailures ? check.ConsecutiveFailures : null,
            check.HasGracePeriodSeconds ? check.GracePeriodSeconds : null,
            command,
            check.Http is { } http ? new HttpHealthCheck(http.Scheme, http.Port, http.Path) : null,
            check.Tcp?.Port);
    }

    /// <summary>The task as its agent gets it: the folded TaskInfo and the details only the agent uses.</summary>
    public static V1.TaskInfo ToWire(TaskInfo task, TaskLaunchDetails details)
    {
        var wire = ToWire(task);
        // A task of a custom executor's group may have no command, and then no URIs either.
        wire.Command?.Uris.AddRange(details.Uris.Select(u => new V1.CommandInfo.Types.URI
        {
            Value = u.Value,
            Executable = u.Executable,
            Extract = u.Extract,
            Cache = u.Cache,
            OutputFile = u.OutputFile,
        }));
        if (!details.Labels.IsEmpty)
        {
            wire.Labels = new V1.Labels();
            wire.Labels.Labels_.AddRange(details.Labels.Select(l => new V1.Label { Key = l.Key, Value = l.Value }));
        }

        if (details.HealthCheck is { } check)
        {
            wire.HealthCheck = ToWire(check);
        }

        return wire;
    }

    private static V1.HealthCheck ToWire(HealthCheck check)
    {
        var wire = new V1.HealthCheck { Type = (V1.HealthCheck.Types.Type)(int)check.Type };
        if (check.DelaySeconds is { } delay)
        {
            wire.DelaySeconds = delay;
        }

        if (check.IntervalSeconds is { } interval)
        {
            wire.IntervalSeconds = interval;
        }

        if (check.TimeoutSeconds is { } timeout)
        {
            wire.TimeoutSeconds = timeout;
        }

        if (check.ConsecutiveFailures is { } failures)
        {
            wire.ConsecutiveFailures = failures;
        }

        if (check.GracePeriodSeconds is { } grace)
        {
            wire.GracePeriodSeconds = grace;
        }

        if (check.Command is { } command)
        {
            wire.Command = new V1.CommandInfo { Value = command.Value, Shell = command.Shell, User = command.User ?? string.Empty };
            wire.Command.Arguments.AddRange(command.Arguments);
            if (command.Environment.Count > 0)
            {
                wire.Command.Environment = new V1.Environment();
                wire.Command.Environment.Variables.AddRange(command.Environment.Select(v => new V1.Environment.Types.Variable { Name = v.Name, Value = v.Value }));
            }
        }

        if (check.Http is { } http)
        {
            wire.Http = new V1.HealthCheck.Types.HTTPCheckInfo { Scheme = http.Scheme, Port = http.Port, Path = http.Path };
        }

        if (check.TcpPort is { } port)
        {
            wire.Tcp = new V1.HealthCheck.Types.TCPCheckInfo { Port = port };
        }

        return wire;
    }

    public static V1.TaskInfo ToWire(TaskInfo task)
    {
        var wire = new V1.TaskInfo
        {
            TaskId = task.TaskId.Value,
            Name = task.Name,
            AgentId = task.AgentId.Value,
            Command = task.Command is { } command ? ToWire(command) : null,
        };
        wire.Resources.AddRange(ToWire(task.Resources));

        if (task.KillGracePeriod is { } grace)
        {
            wire.KillPolicy = new V1.KillPolicy { GracePeriodNanoseconds = grace.Ticks * 100 };
        }

        return wire;
    }

    public static V1.CommandInfo ToWire(CommandInfo command)
    {
        var wire = new V1.CommandInfo { Value = command.Value, Shell = command.Shell, User = command.User ?? string.Empty };
        wire.Arguments.AddRange(command.Arguments);
        if (command.Environment.Count > 0)
        {
            wire.Environment = new V1.Environment();
            wire.Environment.Variables.AddRange(command.Environment.Select(v => new V1.Environment.Types.Variable { Name = v.Name, Value = v.Value }));
        }

        return wire;
    }

    public static TaskStatus ToCore(V1.TaskStatus status, DateTimeOffset receivedAt)
    {
        if (!Enum.IsDefined((TaskState)(int)status.State))
        {
            throw new WireFormatException($"status.state {(int)status.State} is not a TaskState");
        }

        Guid? uuid = status.Uuid.Length switch
        {
            0 => null,
            16 => new Guid(status.Uuid.Span, bigEndian: true),
            _ => throw new WireFormatException($"status.uuid must be 16 bytes, got {status.Uuid.Length}"),
        };

        var timestamp = status.Timestamp > 0 && double.IsFinite(status.Timestamp)
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(status.Timestamp * TimeSpan.TicksPerSecond))
            : receivedAt;

        return new TaskStatus(
            (TaskState)(int)status.State,
            status.HasReason ? (TaskReason)(int)status.Reason : null,
            status.Message,
            (StatusSource)(int)status.Source,
            uuid,
            timestamp,
            status.HasHealthy ? status.Healthy : null);
    }

    /// <summary>
    /// A status as a framework sees it. Frameworks without PARTITION_AWARE learn about UNREACHABLE, DROPPED, GONE
    /// and GONE_BY_OPERATOR as TASK_LOST, as Mesos maps them.
    /// </summary>
    public static V1.TaskStatus ToWire(TaskKey key, AgentId agentId, ExecutorId? executorId, TaskStatus status, bool partitionAware)
    {
        var state = status.State;
        if (!partitionAware && state is TaskState.Unreachable or TaskState.Dropped or TaskState.Gone or TaskState.GoneByOperator)
        {
            state = TaskState.Lost;
        }

        var wire = new V1.TaskStatus
        {
            TaskId = key.TaskId.Value,
            FrameworkId = key.FrameworkId.Value,
            State = (V1.TaskState)(int)state,
            Message = status.Message,
            Source = (V1.TaskStatus.Types.Source)(int)status.Source,
            AgentId = agentId.Value,
            ExecutorId = executorId?.Value ?? string.Empty,
            Timestamp = (status.Timestamp - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond,
        };

        if (status.Reason is { } reason)
        {
            wire.Reason = (V1.TaskStatus.Types.Reason)(int)reason;
        }

        if (status.Uuid is { } uuid)
        {
            wire.Uuid = ByteString.CopyFrom(uuid.ToByteArray(bigEndian: true));
        }

        if (status.Healthy is { } healthy)
        {
            wire.Healthy = healthy;
        }

        return wire;
    }

    public static Guid ToUuid(ByteString bytes, string field) =>
        bytes.Length == 16 ? new Guid(bytes.Span, bigEndian: true) : throw new WireFormatException($"{field} must be 16 bytes, got {bytes.Length}");

    public static V1.MasterInfo ToWire(MasterIdentity? master) => master is null
        ? new V1.MasterInfo()
        : new V1.MasterInfo
        {
            Id = master.Id,
            Hostname = master.Hostname,
            Ip = master.Ip,
            Port = master.Port,
            Version = master.Version,
            Address = new V1.Address { Hostname = master.Hostname, Ip = master.Ip, Port = master.Port },
        };

    public static double Seconds(DateTimeOffset? at) => at is { } t ? (t - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond : 0;

    public static V1.TaskView ToView(TaskRecord task, ClusterState state)
    {
        var view = new V1.TaskView
        {
            FrameworkId = task.Key.FrameworkId.Value,
            TaskId = task.Key.TaskId.Value,
            Name = task.Info.Name,
            AgentId = task.AgentId.Value,
            ExecutorId = task.ExecutorId.Value,
            State = (V1.TaskState)(int)task.State,
        };
        view.Resources.AddRange(ToWire(task.Info.Resources));
        view.Statuses.AddRange(task.Statuses.Select(s => ToWire(task.Key, task.AgentId, task.ExecutorId, s, partitionAware: true)));
        if (state.Agents.TryGetValue(task.AgentId, out var agent))
        {
            view.AgentHostname = agent.Info.Hostname;
            view.AgentPort = agent.Info.Port;
        }

        return view;
    }
}
