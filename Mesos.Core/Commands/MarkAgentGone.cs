using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>
/// An operator's MARK_AGENT_GONE: the agent is removed for good, its tasks become TASK_GONE_BY_OPERATOR (TASK_LOST for
/// frameworks that are not partition-aware), and it may never come back with that id.
/// </summary>
public sealed record MarkAgentGone(AgentId AgentId) : MasterCommand;
