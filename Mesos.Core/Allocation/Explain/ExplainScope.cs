using Mesos.Core.Ids;

namespace Mesos.Core.Allocation.Explain;

/// <summary>Which reasons to keep: those of one framework, of one agent, or (both null) all of them.</summary>
public sealed record ExplainScope(FrameworkId? FrameworkId, AgentId? AgentId)
{
    public static readonly ExplainScope All = new(null, null);

    public bool Covers(FrameworkId framework) => FrameworkId is null || FrameworkId == framework;

    public bool Covers(AgentId agent) => AgentId is null || AgentId == agent;
}
