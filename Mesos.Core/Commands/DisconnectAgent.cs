using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>The agent's connection to the master dropped.</summary>
public sealed record DisconnectAgent(AgentId AgentId) : MasterCommand;
