using Mesos.Core.Ids;
using Mesos.Core.State;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>
/// An outstanding inverse offer as Mesos sends it: to its framework (INVERSE_OFFERS) and to operators
/// (GET_FRAMEWORKS' <c>inverse_offers</c>), so both say the same. The agent's address is the one the log recorded.
/// </summary>
public static class InverseOfferMapping
{
    public static V1.InverseOffer ToWire(ClusterState state, OfferId id, FrameworkId frameworkId, AgentId agentId, Core.Maintenance.Unavailability unavailability)
    {
        var inverse = new V1.InverseOffer
        {
            Id = id.Value,
            FrameworkId = frameworkId.Value,
            AgentId = agentId.Value,
            Unavailability = ToWire(unavailability),
        };
        if (state.Agents.TryGetValue(agentId, out var agent))
        {
            inverse.Hostname = agent.Info.Hostname;
            inverse.Ip = agent.Ip ?? string.Empty;
            inverse.Port = agent.Info.Port;
        }

        return inverse;
    }

    public static V1.InverseOffer ToWire(ClusterState state, InverseOfferState inverse) =>
        ToWire(state, inverse.Id, inverse.FrameworkId, inverse.AgentId, inverse.Unavailability);

    public static V1.Unavailability ToWire(Core.Maintenance.Unavailability unavailability)
    {
        var wire = new V1.Unavailability { StartNanoseconds = unavailability.StartNanoseconds };
        if (unavailability.DurationNanoseconds is { } duration)
        {
            wire.DurationNanoseconds = duration;
        }

        return wire;
    }
}
