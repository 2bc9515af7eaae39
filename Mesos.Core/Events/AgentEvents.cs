using Mesos.Core.Agents;
using Mesos.Core.Ids;

namespace Mesos.Core.Events;

public sealed record AgentRegistered(AgentId AgentId, AgentInfo Info) : ClusterEvent;

public sealed record AgentReregistered(AgentId AgentId, AgentInfo Info) : ClusterEvent;

public sealed record AgentHeartbeatReceived(AgentId AgentId) : ClusterEvent;

public sealed record AgentDisconnected(AgentId AgentId) : ClusterEvent;

/// <summary>The agent missed pings for <c>agent_ping_timeout x max_agent_ping_timeouts</c>; its offers are void.</summary>
public sealed record AgentMarkedUnreachable(AgentId AgentId) : ClusterEvent;

/// <summary>
/// The agent is gone for good (Mesos' registry <c>gone</c> list): it is told to shut down if it ever comes back, and
/// its id is never admitted again. An operator's MARK_AGENT_GONE writes it with <see cref="MarkedGone"/> as the reason.
/// </summary>
public sealed record AgentRemoved(AgentId AgentId, string Reason) : ClusterEvent
{
    /// <summary>The reason MARK_AGENT_GONE records (and Mesos' agent is told when shut down).</summary>
    public const string MarkedGone = "Agent has been marked gone by the operator";
}

/// <summary>An operator stopped offering the agent's resources (DEACTIVATE_AGENT): its offers are rescinded, its tasks keep running.</summary>
public sealed record AgentDeactivated(AgentId AgentId) : ClusterEvent;

/// <summary>An operator let the agent's resources be offered again (REACTIVATE_AGENT).</summary>
public sealed record AgentReactivated(AgentId AgentId) : ClusterEvent;
