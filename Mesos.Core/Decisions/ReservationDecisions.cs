using System.Collections.Immutable;
using Mesos.Core.Agents;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Reservations;
using Mesos.Core.Resources;
using Mesos.Core.State;

namespace Mesos.Core.Decisions;

/// <summary>
/// RESERVE and UNRESERVE, from an offer (ACCEPT) or from the operator, validated as Mesos' <c>master/validation.cpp</c>:
/// only a dynamic reservation is pushed or popped, the stack stays a chain of subroles, a framework reserves only
/// for the role the offer was made to and with its own principal, and what is (un)reserved must be there.
/// </summary>
public static class ReservationDecisions
{
    /// <summary>What a RESERVE takes: each target resource with its new (last) reservation popped.</summary>
    public static ResourceSet Sources(ResourceSet reserved) => ResourceSet.Of(reserved.Entries.Select(r => r.PopReservation()));

    /// <summary>Checks RESERVE targets; <paramref name="principal"/> is the caller's when it has one (a framework's FrameworkInfo.principal).</summary>
    public static DecideError? ValidateReserve(ResourceSet resources, string? principal, FrameworkInfo? framework, string? offerRole)
    {
        if (resources.IsEmpty)
        {
            return new DecideError(DecideErrorKind.InvalidArgument, "Invalid RESERVE operation: no resources to reserve");
        }

        foreach (var resource in resources.Entries)
        {
            if (resource.Reservations.IsEmpty || !resource.Reservations[^1].IsDynamic)
            {
                return new DecideError(DecideErrorKind.InvalidArgument,
                    $"Invalid RESERVE operation: resource '{resource}' has no dynamic reservation to make (the last reservation must be DYNAMIC)");
            }

            if (resource.IsPersistentVolume)
            {
                return new DecideError(DecideErrorKind.InvalidArgument, $"A persistent volume {resource} must already be reserved");
            }

            if (!ReservationText.TryValidate(resource.Reservations, out var stackError))
            {
                return new DecideError(DecideErrorKind.InvalidArgument, $"Invalid RESERVE operation: resource '{resource}': {stackError}");
            }

            var reservation = resource.Reservations[^1];
            if (!string.IsNullOrEmpty(principal))
            {
                if (reservation.Principal is null)
                {
                    return new DecideError(DecideErrorKind.InvalidArgument,
                        $"A reserve operation was attempted by authenticated principal '{principal}', which does not match a reserved resource in the request with no principal");
                }

                if (reservation.Principal != principal)
                {
                    return new DecideError(DecideErrorKind.InvalidArgument,
                        $"A reserve operation was attempted by authenticated principal '{principal}', which does not match a reserved resource in the request with principal '{reservation.Principal}'");
                }
            }

            if (framework is not null)
            {
                if (!framework.Roles.Items.Contains(reservation.Role))
                {
                    return new DecideError(DecideErrorKind.InvalidArgument,
                        $"A reserve operation was attempted for a resource with role '{reservation.Role}', but the framework can only reserve resources with roles {string.Join(", ", framework.Roles.Select(r => "'" + r + "'"))}");
                }

                if (offerRole is not null && reservation.Role != offerRole)
                {
                    return new DecideError(DecideErrorKind.InvalidArgument,
                        $"A reserve operation was attempted for a resource with role '{reservation.Role}', but it is allocated to role '{offerRole}'");
                }

                if (resource.Reservations.Length > 1 && !framework.Has(FrameworkCapability.ReservationRefinement))
                {
                    return new DecideError(DecideErrorKind.InvalidArgument,
                        $"Invalid RESERVE operation: resource '{resource}' refines a reservation, which needs the RESERVATION_REFINEMENT capability");
                }
            }
        }

        return null;
    }

    public static DecideError? ValidateUnreserve(ResourceSet resources)
    {
        if (resources.IsEmpty)
        {
            return new DecideError(DecideErrorKind.InvalidArgument, "Invalid UNRESERVE operation: no resources to unreserve");
        }

        foreach (var resource in resources.Entries)
        {
            if (resource.Reservations.IsEmpty || !resource.Reservations[^1].IsDynamic)
            {
                return new DecideError(DecideErrorKind.InvalidArgument,
                    $"Invalid UNRESERVE operation: resource '{resource}' is not dynamically reserved (static reservations change only with the agent's --resources)");
            }

            if (resource.IsPersistentVolume)
            {
                return new DecideError(DecideErrorKind.InvalidArgument,
                    $"A dynamically reserved persistent volume {resource} cannot be unreserved directly. Please destroy the persistent volume first then unreserve the resource");
            }
        }

        return null;
    }

    /// <summary>The operator's RESERVE_RESOURCES / UNRESERVE_RESOURCES. Offers holding what is needed are rescinded first, as Mesos does.</summary>
    public static Decision Operate(ClusterState state, AgentId agentId, ReservationOperationKind kind, ResourceSet resources, string principal, DateTimeOffset now)
    {
        if (!state.Agents.TryGetValue(agentId, out var agent) || agent.Status is AgentStatus.Removed or AgentStatus.Unreachable)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, $"No agent found with specified ID '{agentId}'");
        }

        // The operator API is not authenticated here, so no principal is matched (as Mesos without authentication).
        var error = kind == ReservationOperationKind.Reserve ? ValidateReserve(resources, null, null, null) : ValidateUnreserve(resources);
        if (error is not null)
        {
            return error;
        }

        var needed = kind == ReservationOperationKind.Reserve ? Sources(resources) : resources;
        var unused = agent.Info.Resources - agent.Used;
        if (!unused.Contains(needed))
        {
            var what = kind == ReservationOperationKind.Reserve ? "reserve" : "unreserve";
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
            events.Add(new OfferRescinded(offer.Id, $"its resources are needed to {(kind == ReservationOperationKind.Reserve ? "reserve" : "unreserve")} on the operator's request") { At = now, Principal = principal });
        }

        events.Add(kind == ReservationOperationKind.Reserve
            ? new ResourcesReserved(agentId, resources, null) { At = now, Principal = principal }
            : new ResourcesUnreserved(agentId, resources, null) { At = now, Principal = principal });
        return Decision.Of(events);
    }

    /// <summary>
    /// The reservation and volume operations of an ACCEPT, in order, on what the offers hold; returns the events and
    /// what the offers hold afterwards (for the launches that follow), or the first error.
    /// </summary>
    public static (ImmutableArray<ClusterEvent> Events, ResourceSet Remaining, DecideError? Error) ApplyToOffer(
        OfferState offer, AgentState agent, FrameworkInfo framework, IEnumerable<ReservationOperation> operations, ResourceSet remaining, string principal, DateTimeOffset now)
    {
        var events = ImmutableArray.CreateBuilder<ClusterEvent>();
        var total = agent.Info.Resources;
        foreach (var operation in operations)
        {
            if (operation.Kind is ReservationOperationKind.Create or ReservationOperationKind.Destroy or ReservationOperationKind.GrowVolume or ReservationOperationKind.ShrinkVolume)
            {
                var before = remaining;
                var (volumeEvent, after, volumeError) = operation.Kind is ReservationOperationKind.GrowVolume or ReservationOperationKind.ShrinkVolume
                    ? VolumeResizeDecisions.ApplyToOffer(offer, operation, remaining, principal, now)
                    : VolumeDecisions.ApplyToOffer(offer, agent, framework, operation, remaining, total, principal, now);
                if (volumeError is not null)
                {
                    return (ImmutableArray<ClusterEvent>.Empty, remaining, volumeError);
                }

                total = total - (before - after) + (after - before);
                remaining = after;
                events.Add(volumeEvent!);
            }
            else if (operation.Kind == ReservationOperationKind.Reserve)
            {
                var error = ValidateReserve(operation.Resources, framework.Principal, framework, offer.Role);
                var sources = Sources(operation.Resources);
                error ??= remaining.Contains(sources)
                    ? null
                    : new DecideError(DecideErrorKind.InvalidArgument,
                        $"Invalid RESERVE operation: {sources} are not in the offers, which hold {remaining} (after the operations before it)");
                if (error is not null)
                {
                    return (ImmutableArray<ClusterEvent>.Empty, remaining, error);
                }

                remaining = remaining - sources + operation.Resources;
                events.Add(new ResourcesReserved(offer.AgentId, operation.Resources, offer.Id) { At = now, Principal = principal });
            }
            else
            {
                var error = ValidateUnreserve(operation.Resources);
                error ??= remaining.Contains(operation.Resources)
                    ? null
                    : new DecideError(DecideErrorKind.InvalidArgument,
                        $"Invalid UNRESERVE operation: {operation.Resources} are not in the offers, which hold {remaining} (after the operations before it)");
                if (error is not null)
                {
                    return (ImmutableArray<ClusterEvent>.Empty, remaining, error);
                }

                remaining = remaining - operation.Resources + Sources(operation.Resources);
                events.Add(new ResourcesUnreserved(offer.AgentId, operation.Resources, offer.Id) { At = now, Principal = principal });
            }
        }

        return (events.ToImmutable(), remaining, null);
    }
}
