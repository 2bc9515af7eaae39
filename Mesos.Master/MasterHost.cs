namespace Mesos.Master;

/// <summary>The master daemon's entry point, used by <c>mesos master</c>.</summary>
public static class MasterHost
{
    /// <summary>Runs the master until <paramref name="stopping"/> fires; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken stopping) =>
        throw new NotImplementedException("the master host is being written");
}
