namespace Mesos.Core.Agents;

public enum AgentStatus
{
    /// <summary>Registered and connected: its resources are offered.</summary>
    Active = 0,

    /// <summary>Its connection dropped, or the master restarted and it has not re-registered yet: no offers.</summary>
    Disconnected = 1,

    /// <summary>Missed pings for too long; its tasks were reported LOST or UNREACHABLE.</summary>
    Unreachable = 2,

    Removed = 3,
}
