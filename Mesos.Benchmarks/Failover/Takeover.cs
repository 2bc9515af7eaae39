namespace Mesos.Benchmarks.Failover;

/// <summary>
/// One SIGKILL of a leader: after how long the standby that led took the leader lock, led (its election committed),
/// the framework re-subscribed with it, and both agents were attached to it.
/// </summary>
public sealed record Takeover(int Kill, int KilledPort, int LeaderPort, TimeSpan LockTaken, TimeSpan Elected, TimeSpan FrameworkBack, TimeSpan AgentsBack);
