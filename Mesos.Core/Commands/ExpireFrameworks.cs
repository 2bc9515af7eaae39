namespace Mesos.Core.Commands;

/// <summary>
/// Timer: disconnected frameworks whose failover timeout ran out are removed. A framework the current master found
/// disconnected at its election is given at least <paramref name="ReregisterWindow"/> from the election to come back,
/// whatever its failover timeout (a failover timeout of 0 must not mean "removed a second after any master restart");
/// null is Mesos' <c>--agent_reregister_timeout</c> default, 10 minutes.
/// </summary>
public sealed record ExpireFrameworks(TimeSpan? ReregisterWindow = null) : MasterCommand
{
    public static readonly TimeSpan DefaultReregisterWindow = TimeSpan.FromMinutes(10);
}
