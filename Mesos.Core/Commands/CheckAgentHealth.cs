namespace Mesos.Core.Commands;

/// <summary>
/// Timer: agents silent for longer than <paramref name="PingTimeout"/> (agent_ping_timeout x max_agent_ping_timeouts)
/// become unreachable. With <see cref="ElectedAt"/> and <see cref="ReregisterTimeout"/> set, agents this master
/// recovered from the log (admitted before it was elected and not re-registered since) are held to Mesos'
/// <c>--agent_reregister_timeout</c> from the election instead: nothing pings them until they come back.
/// </summary>
public sealed record CheckAgentHealth(TimeSpan PingTimeout) : MasterCommand
{
    /// <summary>When the current master was elected (its MasterElected); the master process knows it, the fold does not need it.</summary>
    public DateTimeOffset? ElectedAt { get; init; }

    /// <summary><c>--agent_reregister_timeout</c>.</summary>
    public TimeSpan? ReregisterTimeout { get; init; }
}
