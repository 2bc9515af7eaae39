using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>An operator's DEACTIVATE_AGENT: stop offering the agent's resources; its tasks keep running.</summary>
public sealed record DeactivateAgent(AgentId AgentId) : MasterCommand;
