using Mesos.Projections.Views;

namespace Mesos.Projections.Marten.Documents;

/// <summary>
/// One agent as a Marten document (table <c>mt_doc_agent</c>): the agents read model's row, flat so that SQL reads
/// it with plain jsonb operators (<c>data->>'hostname'</c>, <c>data->'total'->>'cpus'</c>). Its fields are a
/// contract with external dashboards: add fields, never rename them.
/// </summary>
public sealed record AgentDocument(
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
    DateTimeOffset LastSeen)
{
    public static AgentDocument From(AgentView view) => new(
        view.Id,
        view.Hostname,
        view.Port,
        view.State,
        view.Total,
        view.Used,
        view.Offered,
        view.Reserved,
        view.Attributes,
        view.RegisteredAt,
        view.ReregisteredAt,
        view.LastSeen);
}
