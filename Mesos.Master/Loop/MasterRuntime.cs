using Mesos.Core.Masters;

namespace Mesos.Master.Loop;

/// <summary>
/// Facts about this master process that are not cluster state (and so not in the log): when it started, and when
/// it won the election. Mesos reports both in /master/state, GET_MASTER and master/uptime_secs.
/// </summary>
public sealed class MasterRuntime(TimeProvider clock)
{
    private Tuple<MasterIdentity, DateTimeOffset>? elected;

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    public MasterIdentity? Identity => Volatile.Read(ref elected)?.Item1;

    public DateTimeOffset? ElectedAt => Volatile.Read(ref elected)?.Item2;

    public TimeSpan Uptime => clock.GetUtcNow() - StartedAt;

    public void Elected(MasterIdentity identity, DateTimeOffset at) => Volatile.Write(ref elected, Tuple.Create(identity, at));
}
