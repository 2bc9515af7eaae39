namespace Mesos.Agent.Containerizer;

/// <summary>The account a task runs as when the agent switches user (<c>--switch_user</c>, agent running as root).</summary>
public sealed record TaskUser(string Name, int Uid, int Gid, string? Home);
