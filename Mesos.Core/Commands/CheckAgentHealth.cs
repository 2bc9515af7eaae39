namespace Mesos.Core.Commands;

/// <summary>Timer: agents silent for longer than <paramref name="PingTimeout"/> (agent_ping_timeout x max_agent_ping_timeouts) become unreachable.</summary>
public sealed record CheckAgentHealth(TimeSpan PingTimeout) : MasterCommand;
