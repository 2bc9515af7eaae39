using Mesos.Core.State;

namespace Mesos.EventLog.Snapshots;

/// <summary>
/// The fold of the log up to <see cref="Position"/>: from the snapshot at <see cref="SnapshotPosition"/> (0: from
/// empty) plus <see cref="EventsFolded"/> events of its tail. <see cref="Rejections"/> names newer snapshots that
/// could not be used.
/// </summary>
public sealed record RecoveredState(
    ClusterState State,
    long Position,
    long EventsFolded,
    long SnapshotPosition,
    IReadOnlyList<SnapshotRejection> Rejections,
    TimeSpan Elapsed);
