using System.Collections.Immutable;
using Mesos.Core.Ids;
using Mesos.Projections.Engine;
using Mesos.Projections.Views;

namespace Mesos.Projections.Agents;

/// <summary>Agents with their resources total, used, offered and reserved, attributes, state and last heartbeat.</summary>
public sealed class AgentsProjection : IProjection
{
    private ImmutableSortedDictionary<AgentId, AgentView> agents = ImmutableSortedDictionary<AgentId, AgentView>.Empty;
    private long position;

    public string Name => "agents";

    public int Version => 1;

    public long Position => Volatile.Read(ref position);

    /// <summary>Every agent the log has seen (removed ones too, in state REMOVED), by id.</summary>
    public ImmutableSortedDictionary<AgentId, AgentView> Agents => Volatile.Read(ref agents);

    public void Apply(ProjectionContext context)
    {
        var next = agents;
        foreach (var id in context.Scope.Agents)
        {
            if (!context.After.Agents.TryGetValue(id, out var agent))
            {
                continue;
            }

            context.Before.Agents.TryGetValue(id, out var was);
            if (ReferenceEquals(was, agent) && next.ContainsKey(id))
            {
                continue;
            }

            next = next.SetItem(id, next.TryGetValue(id, out var view) && ReferenceEquals(was?.Info, agent.Info)
                ? view.With(agent)
                : AgentView.From(agent));
        }

        Volatile.Write(ref agents, next);
        Volatile.Write(ref position, context.Position);
    }

    public void Reset()
    {
        Volatile.Write(ref agents, ImmutableSortedDictionary<AgentId, AgentView>.Empty);
        Volatile.Write(ref position, 0);
    }
}
