namespace Mesos.Agent.Isolation;

/// <summary>The isolators asked for cannot be had on this machine; the agent refuses to start rather than downgrade.</summary>
public sealed class IsolationException(string message) : Exception(message);
