namespace Mesos.Agent;

/// <summary>The agent daemon's entry point, used by <c>mesos agent</c>.</summary>
public static class AgentHost
{
    /// <summary>Runs the agent until <paramref name="stopping"/> fires; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken stopping) =>
        throw new NotImplementedException("the agent host is being written");
}
