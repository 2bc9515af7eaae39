using Mesos.Core.State;

namespace Mesos.Projections.Views;

/// <summary>An outstanding offer: made to a framework, on an agent, neither accepted, declined nor rescinded yet.</summary>
public sealed record OfferView(string Id, string FrameworkId, string AgentId, string Hostname, string Role, ResourceSummary Resources, DateTimeOffset MadeAt)
{
    public static OfferView From(OfferState offer, ClusterState state) => new(
        offer.Id.Value,
        offer.FrameworkId.Value,
        offer.AgentId.Value,
        state.Agents.TryGetValue(offer.AgentId, out var agent) ? agent.Info.Hostname : string.Empty,
        offer.Role,
        ResourceSummary.From(offer.Resources),
        offer.MadeAt);
}
