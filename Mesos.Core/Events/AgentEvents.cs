using Mesos.Core.Agents;
using Mesos.Core.Ids;

namespace Mesos.Core.Events;

public sealed record AgentRegistered(AgentId AgentId, AgentInfo Info) : ClusterEvent;

public sealed record AgentReregistered(AgentId AgentId, AgentInfo Info) : ClusterEvent;

public sealed record AgentHeartbeatReceived(AgentId AgentId) : ClusterEvent;

public sealed record AgentDisconnected(AgentId AgentId) : ClusterEvent;

/// <summary>The agent missed pings for <c>agent_ping_timeout x max_agent_ping_timeouts</c>; its offers are void.</summary>
public sealed record AgentMarkedUnreachable(AgentId AgentId) : ClusterEvent;

public sealed record AgentRemoved(AgentId AgentId, string Reason) : ClusterEvent;

/// <summary>An operator stopped offering the agent's resources (DEACTIVATE_AGENT): its offers are rescinded, its tasks keep running.</summary>
public sealed record AgentDeactivated(AgentId AgentId) : ClusterEvent;

/// <summary>An operator let the agent's resources be offered again (REACTIVATE_AGENT).</summary>
public sealed record AgentReactivated(AgentId AgentId) : ClusterEvent;
