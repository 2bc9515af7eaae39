using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.State;

/// <summary>
/// RESERVE and UNRESERVE in the fold: the agent's total (<c>Info.Resources</c>, which is what the master knows the
/// agent has, reservations included) trades the old form of the resources for the new; when the operation came
/// from an offer, the offer does the same, so offered never exceeds total.
/// </summary>
internal static class ReservationFold
{
    public static ClusterState Apply(ClusterState state, ResourcesReserved e) =>
        Convert(state, e.AgentId, Pop(e.Resources), e.Resources, e.OfferId);

    public static ClusterState Apply(ClusterState state, ResourcesUnreserved e) =>
        Convert(state, e.AgentId, e.Resources, Pop(e.Resources), e.OfferId);

    /// <summary>
    /// An agent re-registering announces its static resources; the master's dynamic reservations stay on top of
    /// them, because the master is the record of them (Mesos has the agent checkpoint them; here the log does).
    /// </summary>
    public static ResourceSet KeepDynamicReservations(ResourceSet previousTotal, ResourceSet announced)
    {
        // What the agent announces is read back to its static form first (an agent that echoes a total with
        // reservations in it must not have them taken out twice), then the master's reservations go on top.
        // Persistent volumes are the master's record too: kept like dynamic reservations, whatever they are made on.
        var statics = announced.Entries.Any(r => r.IsDynamicallyReserved || r.IsPersistentVolume) ? ResourceSet.Of(announced.Entries.Select(StaticBase)) : announced;
        var dynamic = previousTotal.Filter(r => r.IsDynamicallyReserved || r.IsPersistentVolume);
        if (dynamic.IsEmpty)
        {
            return statics;
        }

        var bases = ResourceSet.Of(dynamic.Entries.Select(StaticBase));
        return statics - bases + dynamic;
    }

    private static Resource StaticBase(Resource resource)
    {
        resource = resource.IsPersistentVolume ? resource.WithVolume(null) : resource;
        while (resource.IsDynamicallyReserved)
        {
            resource = resource.PopReservation();
        }

        return resource;
    }

    private static ResourceSet Pop(ResourceSet resources) => ResourceSet.Of(resources.Entries.Select(r => r.PopReservation()));

    internal static ClusterState Convert(ClusterState state, AgentId agentId, ResourceSet from, ResourceSet to, OfferId? offerId)
    {
        if (!state.Agents.TryGetValue(agentId, out var agent))
        {
            return state;
        }

        agent = agent with { Info = agent.Info with { Resources = agent.Info.Resources - from + to } };
        if (offerId is { } id && state.Offers.TryGetValue(id, out var named))
        {
            // Take what the operation consumes from the named offer first, then from the framework's other offers on
            // this agent for the same role (an ACCEPT may name several); the result goes to the named offer.
            var offers = state.Offers;
            var left = from;
            foreach (var offer in new[] { named }.Concat(state.Offers.Values.Where(o =>
                         o.Id != named.Id && o.AgentId == agentId && o.FrameworkId == named.FrameworkId && o.Role == named.Role)))
            {
                if (left.IsEmpty)
                {
                    break;
                }

                var current = offers[offer.Id].Resources;
                var kept = current - left;
                var taken = current - kept;
                left -= taken;
                offers = offers.SetItem(offer.Id, offers[offer.Id] with { Resources = kept });
            }

            offers = offers.SetItem(named.Id, offers[named.Id] with { Resources = offers[named.Id].Resources + to });
            agent = agent with { Offered = agent.Offered - from + to };
            state = state with { Offers = offers };
            if (state.Frameworks.TryGetValue(named.FrameworkId, out var framework) && framework.OfferedOn.TryGetValue(agentId, out var offered))
            {
                state = state with
                {
                    Frameworks = state.Frameworks.SetItem(framework.Id, framework with { OfferedOn = framework.OfferedOn.SetItem(agentId, offered - from + to) }),
                };
            }
        }

        return state with { Agents = state.Agents.SetItem(agentId, agent) };
    }
}
