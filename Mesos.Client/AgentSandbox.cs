namespace Mesos.Client;

/// <summary>Where a task's executor keeps its files on an agent (its sandbox: stdout, stderr, fetched URIs).</summary>
public sealed record AgentSandbox(string FrameworkId, string ExecutorId, string Directory, bool Completed);
