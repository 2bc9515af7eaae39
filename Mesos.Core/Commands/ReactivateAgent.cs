using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>An operator's REACTIVATE_AGENT: offer the agent's resources again.</summary>
public sealed record ReactivateAgent(AgentId AgentId) : MasterCommand;
