using Mesos.Core.State;

namespace Mesos.Projections.Views;

/// <summary>A row of the agents page and the head of an agent's page.</summary>
public sealed record AgentView(
    string Id,
    string Hostname,
    int Port,
    string State,
    ResourceSummary Total,
    ResourceSummary Used,
    ResourceSummary Offered,
    ResourceSummary Reserved,
    string Attributes,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? ReregisteredAt,
    DateTimeOffset LastSeen,
    bool Deactivated = false)
{
    public static AgentView From(AgentState agent) => new(
        agent.Id.Value,
        agent.Info.Hostname,
        agent.Info.Port,
        agent.Status.ToString().ToUpperInvariant(),
        ResourceSummary.From(agent.Info.Resources),
        ResourceSummary.From(agent.Used),
        ResourceSummary.From(agent.Offered),
        ResourceSummary.From(agent.Info.Resources.Filter(r => r.IsReserved)),
        agent.Info.Attributes.ToString(),
        agent.RegisteredAt,
        agent.ReregisteredAt,
        agent.LastSeen,
        agent.Deactivated);

    /// <summary>This view with what changes while <see cref="AgentState.Info"/> stays (state, used, offered, times): heartbeats and offers are cheap.</summary>
    public AgentView With(AgentState agent) => this with
    {
        State = agent.Status.ToString().ToUpperInvariant(),
        Used = ResourceSummary.From(agent.Used),
        Offered = ResourceSummary.From(agent.Offered),
        ReregisteredAt = agent.ReregisteredAt,
        LastSeen = agent.LastSeen,
        Deactivated = agent.Deactivated,
    };

    /// <summary>Server-side filter of the agents page: id, hostname, state or attributes contain the text.</summary>
    public bool Matches(string filter) =>
        Id.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || Hostname.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || State.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || Attributes.Contains(filter, StringComparison.OrdinalIgnoreCase);
}
