using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>An agent's periodic sign of life.</summary>
public sealed record RecordAgentHeartbeat(AgentId AgentId) : MasterCommand;
