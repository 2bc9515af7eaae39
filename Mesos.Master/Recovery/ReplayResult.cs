using Mesos.Core.State;
using Mesos.EventLog.Snapshots;

namespace Mesos.Master.Recovery;

/// <summary>
/// A state recovered up to <see cref="Position"/> by folding <see cref="Events"/> events, after the snapshot at
/// <see cref="SnapshotPosition"/> (0: from empty).
/// </summary>
public sealed record ReplayResult(ClusterState State, long Position, long Events, TimeSpan Elapsed)
{
    public long SnapshotPosition { get; init; }

    /// <summary>Newer snapshots that could not be used, and why.</summary>
    public IReadOnlyList<SnapshotRejection> Rejections { get; init; } = [];
}
