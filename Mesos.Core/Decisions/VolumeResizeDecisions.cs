using System.Globalization;
using Mesos.Core.Agents;
using Mesos.Core.Events;
using Mesos.Core.Reservations;
using Mesos.Core.Resources;
using Mesos.Core.State;

namespace Mesos.Core.Decisions;

/// <summary>
/// GROW_VOLUME and SHRINK_VOLUME of persistent volumes, from an offer (ACCEPT) or from the operator, validated as Mesos'
/// <c>master/validation.cpp</c> (<c>operation::validate(GrowVolume / ShrinkVolume)</c>) with its messages, and applied
/// as its <c>Resources::apply</c>: the volume and the addition are consumed and the grown volume comes back; the shrunk
/// volume comes back with the subtracted part as plain disk of the same reservation.
/// </summary>
/// <remarks>
/// Mesos refuses to resize on an agent without the RESIZE_VOLUME capability. Every agent of this master has it: a
/// volume is a directory under the agent's work dir with no size of its own, so a resize needs nothing done on the
/// agent beyond the checkpointed resources it is sent anyway. The check is kept (<c>agentCanResize</c>) so the rule
/// and its message stay where Mesos has them. Shared volumes and disk sources (PATH, MOUNT) cannot be expressed here,
/// so Mesos' checks for them have nothing to refuse.
/// </remarks>
public static class VolumeResizeDecisions
{
    /// <summary>Mesos' <c>validate(GrowVolume)</c>: the message, or null when the operation is well formed.</summary>
    public static string? ValidateGrow(ResourceSet volume, ResourceSet addition, bool agentCanResize)
    {
        if (VolumeDecisions.ValidateResources(volume) is { } invalidVolume)
        {
            return "Invalid resource in the 'GrowVolume.volume' field: " + invalidVolume;
        }

        if (VolumeDecisions.ValidateResources(addition) is { } invalidAddition)
        {
            return "Invalid resource in the 'GrowVolume.addition' field: " + invalidAddition;
        }

        if (addition.IsEmpty || addition.Entries.Any(r => r.Kind != ResourceKind.Scalar))
        {
            return "The size of 'GrowVolume.addition' field must be greater than zero";
        }

        if (PersistentVolume(volume) is { } notVolume)
        {
            return "Invalid persistent volume in the 'GrowVolume.volume' field: " + notVolume;
        }

        // Mesos strips the DiskInfo off the volume and asks that it and the addition add up to one resource: the
        // same name, type and reservations, and no DiskInfo on the addition.
        var stripped = volume.Entries[0].WithVolume(null);
        if (addition.Entries.Length != 1 || !addition.Entries[0].IsSameSlot(stripped))
        {
            return "Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields";
        }

        return agentCanResize ? null : $"Volume {volume} cannot be grown on an agent without RESIZE_VOLUME capability";
    }

    /// <summary>Mesos' <c>validate(ShrinkVolume)</c>: the message, or null when the operation is well formed.</summary>
    public static string? ValidateShrink(ResourceSet volume, ScalarValue subtract, bool agentCanResize)
    {
        if (VolumeDecisions.ValidateResources(volume) is { } invalidVolume)
        {
            return "Invalid resource in the 'ShrinkVolume.volume' field: " + invalidVolume;
        }

        if (!subtract.IsPositive)
        {
            return "Value of 'ShrinkVolume.subtract' must be greater than zero";
        }

        var size = volume.Entries.Length == 1 && volume.Entries[0].Kind == ResourceKind.Scalar ? volume.Entries[0].Scalar : ScalarValue.Zero;
        if (size <= subtract)
        {
            return "Value of 'ShrinkVolume.subtract' must be smaller than the size of 'ShrinkVolume.volume'";
        }

        if (PersistentVolume(volume) is { } notVolume)
        {
            return "Invalid persistent volume in the 'ShrinkVolume.volume' field: " + notVolume;
        }

        return agentCanResize ? null : $"Volume {volume} cannot be shrunk on an agent without RESIZE_VOLUME capability";
    }

    /// <summary>What GROW_VOLUME gives back: the volume, larger by the addition.</summary>
    public static ResourceSet Grown(ResourceSet volume, ResourceSet addition) => VolumeFold.Grown(volume, addition);

    /// <summary>What SHRINK_VOLUME frees: the subtracted part, as disk of the volume's reservation without its DiskInfo.</summary>
    public static ResourceSet Freed(ResourceSet volume, ScalarValue subtract) => VolumeFold.Freed(volume, subtract);

    /// <summary>What SHRINK_VOLUME leaves of the volume.</summary>
    public static ResourceSet Shrunk(ResourceSet volume, ResourceSet freed) => VolumeFold.Shrunk(volume, freed);

    /// <summary>
    /// The operator's GROW_VOLUME: 400 for a malformed operation (Mesos' "Invalid GROW_VOLUME operation on agent ..."),
    /// 409 when the agent does not hold the volume and the addition unused (Mesos' allocator refusing the operation).
    /// Offers holding what is needed are rescinded first, as Mesos does.
    /// </summary>
    public static Decision Grow(ClusterState state, Commands.GrowVolume request, string principal, DateTimeOffset now)
    {
        if (Agent(state, request.AgentId) is not { } agent)
        {
            return Invalid($"No agent found with specified ID '{request.AgentId}'");
        }

        if (ValidateGrow(request.Volume, request.Addition, agentCanResize: true) is { } error)
        {
            return Invalid($"Invalid GROW_VOLUME operation on agent {Describe(agent)}: {error}");
        }

        var unused = agent.Info.Resources - agent.Used;
        var missing = !unused.Contains(request.Volume) ? request.Volume : !unused.Contains(request.Addition) ? request.Addition : null;
        if (missing is not null)
        {
            return Decision.Fail(DecideErrorKind.Conflict, $"Invalid GROW_VOLUME Operation: {unused} does not contain {missing}");
        }

        var events = Rescind(state, agent, unused, request.Volume + request.Addition, "grow a volume", principal, now);
        events.Add(new VolumeGrown(request.AgentId, request.Volume, request.Addition, null) { At = now, Principal = principal });
        return Decision.Of(events);
    }

    /// <summary>The operator's SHRINK_VOLUME, answered as <see cref="Grow"/>.</summary>
    public static Decision Shrink(ClusterState state, Commands.ShrinkVolume request, string principal, DateTimeOffset now)
    {
        if (Agent(state, request.AgentId) is not { } agent)
        {
            return Invalid($"No agent found with specified ID '{request.AgentId}'");
        }

        if (ValidateShrink(request.Volume, request.Subtract, agentCanResize: true) is { } error)
        {
            return Invalid($"Invalid SHRINK_VOLUME operation on agent {Describe(agent)}: {error}");
        }

        var unused = agent.Info.Resources - agent.Used;
        if (!unused.Contains(request.Volume))
        {
            return Decision.Fail(DecideErrorKind.Conflict, $"Invalid SHRINK_VOLUME Operation: {unused} does not contain {request.Volume}");
        }

        var events = Rescind(state, agent, unused, request.Volume, "shrink a volume", principal, now);
        events.Add(new VolumeShrunk(request.AgentId, request.Volume, VolumeFold.Freed(request.Volume, request.Subtract), null) { At = now, Principal = principal });
        return Decision.Of(events);
    }

    /// <summary>
    /// One GROW_VOLUME or SHRINK_VOLUME of an ACCEPT on what the offers hold (after the operations before it); returns
    /// the event and what the offers hold afterwards, or the error.
    /// </summary>
    public static (ClusterEvent? Event, ResourceSet Remaining, DecideError? Error) ApplyToOffer(
        OfferState offer, ReservationOperation operation, ResourceSet remaining, string principal, DateTimeOffset now)
    {
        if (operation.Kind == ReservationOperationKind.GrowVolume)
        {
            var consumed = operation.Resources + operation.Addition;
            var error = ValidateGrow(operation.Resources, operation.Addition, agentCanResize: true) is { } invalid
                ? "Invalid GROW_VOLUME operation: " + invalid
                : remaining.Contains(consumed)
                    ? null
                    : $"Invalid GROW_VOLUME operation: {consumed} are not in the offers, which hold {remaining} (after the operations before it)";
            return error is not null
                ? (null, remaining, new DecideError(DecideErrorKind.InvalidArgument, error))
                : (new VolumeGrown(offer.AgentId, operation.Resources, operation.Addition, offer.Id) { At = now, Principal = principal },
                    remaining - consumed + VolumeFold.Grown(operation.Resources, operation.Addition), null);
        }

        var shrinkError = ValidateShrink(operation.Resources, operation.Subtract, agentCanResize: true) is { } bad
            ? "Invalid SHRINK_VOLUME operation: " + bad
            : remaining.Contains(operation.Resources)
                ? null
                : $"Invalid SHRINK_VOLUME operation: {operation.Resources} are not in the offers, which hold {remaining} (after the operations before it)";
        if (shrinkError is not null)
        {
            return (null, remaining, new DecideError(DecideErrorKind.InvalidArgument, shrinkError));
        }

        var freed = VolumeFold.Freed(operation.Resources, operation.Subtract);
        return (new VolumeShrunk(offer.AgentId, operation.Resources, freed, offer.Id) { At = now, Principal = principal },
            remaining - operation.Resources + VolumeFold.Shrunk(operation.Resources, freed) + freed, null);
    }

    /// <summary>Mesos' <c>validatePersistentVolume</c> on the one volume an operation names.</summary>
    private static string? PersistentVolume(ResourceSet volume)
    {
        if (volume.IsEmpty)
        {
            return "the volume is empty";
        }

        if (volume.Entries.Length > 1)
        {
            return $"{volume} is more than one resource";
        }

        return VolumeDecisions.ValidatePersistentVolumes(volume);
    }

    private static AgentState? Agent(ClusterState state, Ids.AgentId agentId) =>
        state.Agents.TryGetValue(agentId, out var agent) && agent.Status is not (AgentStatus.Removed or AgentStatus.Unreachable) ? agent : null;

    /// <summary>As Mesos prints an agent (<c>stringify(Slave)</c>): its id, pid and hostname.</summary>
    private static string Describe(AgentState agent) =>
        string.Create(CultureInfo.InvariantCulture, $"{agent.Id} at slave(1)@{agent.Info.Hostname}:{agent.Info.Port} ({agent.Info.Hostname})");

    private static List<ClusterEvent> Rescind(ClusterState state, AgentState agent, ResourceSet unused, ResourceSet needed, string what, string principal, DateTimeOffset now)
    {
        var events = new List<ClusterEvent>();
        var free = unused - agent.Offered;
        foreach (var offer in state.Offers.Values.Where(o => o.AgentId == agent.Id))
        {
            if (free.Contains(needed))
            {
                break;
            }

            free += offer.Resources;
            events.Add(new OfferRescinded(offer.Id, $"its resources are needed to {what} on the operator's request") { At = now, Principal = principal });
        }

        return events;
    }

    private static DecideError Invalid(string message) => new(DecideErrorKind.InvalidArgument, message);
}
