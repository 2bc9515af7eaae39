using Mesos.Core.Agents;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Reservations;
using Mesos.Core.Resources;
using Mesos.Core.State;

namespace Mesos.Core.Decisions;

/// <summary>
/// CREATE and DESTROY of persistent volumes, from an offer (ACCEPT) or from the operator, validated as Mesos'
/// <c>master/validation.cpp</c> (<c>resource::validateDiskInfo</c>, <c>validatePersistentVolume</c>,
/// <c>validateUniquePersistenceID</c>, <c>operation::validate(Create / Destroy)</c>), with its messages. A volume
/// lives on reserved disk; its persistence id is unique per role on the agent; a task sees it at its container
/// path, which must stay inside the sandbox.
/// </summary>
public static class VolumeDecisions
{
    private const int NameMax = 255;

    /// <summary>What a CREATE takes: the same disk without its volume.</summary>
    public static ResourceSet Sources(ResourceSet volumes) => VolumeFold.WithoutVolumes(volumes);

    /// <summary>
    /// Checks a CREATE of <paramref name="volumes"/> on an agent whose total is <paramref name="checkpointed"/>;
    /// <paramref name="principal"/> is the caller's when it has one (a framework's FrameworkInfo.principal).
    /// </summary>
    public static DecideError? ValidateCreate(ResourceSet volumes, ResourceSet checkpointed, string? principal, FrameworkInfo? framework)
    {
        if (volumes.IsEmpty)
        {
            return Invalid("Invalid CREATE operation: no volumes to create");
        }

        if (ValidateResources(volumes) is { } invalid)
        {
            return Invalid("Invalid resources: " + invalid);
        }

        if (ValidatePersistentVolumes(volumes) is { } notVolume)
        {
            return Invalid("Not a persistent volume: " + notVolume);
        }

        if (ValidateUniquePersistenceIds(checkpointed, volumes) is { } duplicate)
        {
            return Invalid(duplicate);
        }

        foreach (var volume in volumes.Entries)
        {
            var persistence = volume.Volume!;
            if (framework is not null && !framework.Roles.Items.Contains(volume.Role) && !framework.Roles.Any(r => Roles.IsStrictSubroleOf(r, volume.Role)))
            {
                return Invalid($"A create operation was attempted for a volume with role '{volume.Role}', but the framework can only use roles {string.Join(", ", framework.Roles.Select(r => "'" + r + "'"))}");
            }

            if (!string.IsNullOrEmpty(principal))
            {
                if (persistence.Principal is null)
                {
                    return Invalid($"Create volume operation has been attempted by principal '{principal}', but there is a volume in the operation with no principal set in 'DiskInfo.Persistence'");
                }

                if (persistence.Principal != principal)
                {
                    return Invalid($"Create volume operation has been attempted by principal '{principal}', but there is a volume in the operation with principal '{persistence.Principal}' set in 'DiskInfo.Persistence'");
                }
            }
        }

        return null;
    }

    /// <summary>Checks a DESTROY: the volumes exist on the agent and no task or executor uses them.</summary>
    public static DecideError? ValidateDestroy(ResourceSet volumes, ResourceSet checkpointed, ResourceSet used)
    {
        if (volumes.IsEmpty)
        {
            return Invalid("Invalid DESTROY operation: no volumes to destroy");
        }

        if (ValidateResources(volumes) is { } invalid)
        {
            return Invalid("Invalid resources: " + invalid);
        }

        if (ValidatePersistentVolumes(volumes) is { } notVolume)
        {
            return Invalid("Not a persistent volume: " + notVolume);
        }

        if (!checkpointed.Contains(volumes))
        {
            return Invalid("Persistent volumes not found");
        }

        foreach (var volume in volumes.Entries)
        {
            if (used.Contains(ResourceSet.Of(volume)))
            {
                return Invalid("Persistent volumes in use");
            }
        }

        return null;
    }

    /// <summary>Mesos' <c>resource::validate</c> as far as volumes go (Resources::validate and validateDiskInfo).</summary>
    public static string? ValidateResources(ResourceSet resources)
    {
        foreach (var resource in resources.Entries)
        {
            if (resource.Volume is not { } volume)
            {
                continue;
            }

            if (resource.Name != "disk")
            {
                return $"Invalid resources: DiskInfo should not be set for {resource.Name} resource";
            }

            if (!resource.IsReserved)
            {
                return "Invalid DiskInfo: Persistent volumes cannot be created from unreserved resources";
            }

            if (ValidateId(volume.PersistenceId) is { } idError)
            {
                return "Invalid DiskInfo: Invalid persistence ID for persistent volume: " + idError;
            }

            if (ValidateContainerPath(volume.ContainerPath) is { } pathError)
            {
                return "Invalid DiskInfo: " + pathError;
            }
        }

        return null;
    }

    /// <summary>Mesos' <c>common::validation::validateID</c>.</summary>
    public static string? ValidateId(string id)
    {
        if (id.Length == 0)
        {
            return "ID must not be empty";
        }

        if (id.Length > NameMax)
        {
            return $"ID must not be greater than {NameMax} characters";
        }

        if (id is "." or "..")
        {
            return $"'{id}' is disallowed";
        }

        return id.Any(c => char.IsControl(c) || c is '/' or '\\') ? $"'{id}' contains invalid characters" : null;
    }

    /// <summary>
    /// The agent links the volume at <c>&lt;sandbox&gt;/&lt;container_path&gt;</c> (Mesos' filesystem/posix isolator, which
    /// has no root filesystem to mount an absolute path into), so the path is relative and stays in the sandbox.
    /// </summary>
    public static string? ValidateContainerPath(string path)
    {
        if (path.Length == 0)
        {
            return "Expecting 'container_path' to be set for persistent volume";
        }

        if (path[0] == '/')
        {
            return $"Absolute container path '{path}' is not supported for persistent volume";
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path.Any(char.IsControl) || parts.Length == 0 || parts.Any(p => p == "..") || parts.All(p => p == "."))
        {
            return $"Container path '{path}' of persistent volume must be a relative path inside the sandbox";
        }

        return null;
    }

    internal static string? ValidatePersistentVolumes(ResourceSet volumes)
    {
        foreach (var resource in volumes.Entries)
        {
            if (resource.Volume is null)
            {
                return $"Resource {resource} does not have DiskInfo";
            }

            if (resource.Volume.Mode == VolumeMode.Ro)
            {
                return "Read-only persistent volume not supported";
            }
        }

        return null;
    }

    /// <summary>Mesos' <c>validateUniquePersistenceID</c>: unique per role on the agent, the new ones included.</summary>
    private static string? ValidateUniquePersistenceIds(ResourceSet checkpointed, ResourceSet volumes)
    {
        var seen = new HashSet<(string Role, string Id)>();
        foreach (var volume in checkpointed.Entries.Concat(volumes.Entries))
        {
            if (volume.Volume is { } v && !seen.Add((volume.Role, v.PersistenceId)))
            {
                return $"Persistence ID '{v.PersistenceId}' is not unique";
            }
        }

        return null;
    }

    /// <summary>The operator's CREATE_VOLUMES / DESTROY_VOLUMES. Offers holding what is needed are rescinded first, as Mesos does.</summary>
    public static Decision Operate(ClusterState state, AgentId agentId, ReservationOperationKind kind, ResourceSet volumes, string principal, DateTimeOffset now)
    {
        if (!state.Agents.TryGetValue(agentId, out var agent) || agent.Status is AgentStatus.Removed or AgentStatus.Unreachable)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, $"No agent found with specified ID '{agentId}'");
        }

        var create = kind == ReservationOperationKind.Create;

        // The operator API is not authenticated here, so no principal is matched (as Mesos without authentication).
        var error = create ? ValidateCreate(volumes, agent.Info.Resources, null, null) : ValidateDestroy(volumes, agent.Info.Resources, agent.Used);
        if (error is not null)
        {
            return error;
        }

        var needed = create ? Sources(volumes) : volumes;
        var unused = agent.Info.Resources - agent.Used;
        var what = create ? "create volumes" : "destroy volumes";
        if (!unused.Contains(needed))
        {
            return Decision.Fail(DecideErrorKind.Conflict,
                $"Agent '{agentId}' does not have {needed} free to {what}: {unused} is not in use by tasks");
        }

        var events = new List<ClusterEvent>();
        var free = unused - agent.Offered;
        foreach (var offer in state.Offers.Values.Where(o => o.AgentId == agentId))
        {
            if (free.Contains(needed))
            {
                break;
            }

            free += offer.Resources;
            events.Add(new OfferRescinded(offer.Id, $"its resources are needed to {what} on the operator's request") { At = now, Principal = principal });
        }

        events.Add(create
            ? new VolumesCreated(agentId, volumes, null) { At = now, Principal = principal }
            : new VolumesDestroyed(agentId, volumes, null) { At = now, Principal = principal });
        return Decision.Of(events);
    }

    /// <summary>
    /// One CREATE or DESTROY of an ACCEPT on what the offers hold; <paramref name="checkpointed"/> is the agent's total
    /// as the operations before it in the same ACCEPT left it.
    /// </summary>
    public static (ClusterEvent? Event, ResourceSet Remaining, DecideError? Error) ApplyToOffer(
        OfferState offer, AgentState agent, FrameworkInfo framework, ReservationOperation operation, ResourceSet remaining, ResourceSet checkpointed, string principal, DateTimeOffset now)
    {
        if (operation.Kind == ReservationOperationKind.Create)
        {
            var sources = Sources(operation.Resources);
            var error = ValidateCreate(operation.Resources, checkpointed, framework.Principal, framework)
                ?? (remaining.Contains(sources)
                    ? null
                    : Invalid($"Invalid CREATE operation: {sources} are not in the offers, which hold {remaining} (after the operations before it)"));
            return error is not null
                ? (null, remaining, error)
                : (new VolumesCreated(offer.AgentId, operation.Resources, offer.Id) { At = now, Principal = principal }, remaining - sources + operation.Resources, null);
        }

        var destroyError = ValidateDestroy(operation.Resources, checkpointed, agent.Used)
            ?? (remaining.Contains(operation.Resources)
                ? null
                : Invalid($"Invalid DESTROY operation: {operation.Resources} are not in the offers, which hold {remaining} (after the operations before it)"));
        return destroyError is not null
            ? (null, remaining, destroyError)
            : (new VolumesDestroyed(offer.AgentId, operation.Resources, offer.Id) { At = now, Principal = principal }, remaining - operation.Resources + Sources(operation.Resources), null);
    }

    private static DecideError Invalid(string message) => new(DecideErrorKind.InvalidArgument, message);
}
