namespace Mesos.EventLog.Port;

/// <summary>
/// Snapshots of the folded state, stored beside the log by the adapters that hold one. A snapshot is an
/// optimisation only: the log stays the truth, and recovery ignores any snapshot it cannot verify.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>Stores <paramref name="snapshot"/> (replacing one at the same position) and keeps only the newest <paramref name="keep"/>.</summary>
    ValueTask SaveSnapshotAsync(StoredSnapshot snapshot, int keep, CancellationToken ct);

    /// <summary>The stored snapshots without their payloads, newest (highest position) first.</summary>
    ValueTask<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(CancellationToken ct);

    /// <summary>The snapshot at <paramref name="position"/> with its payload, or <c>null</c> when there is none (any more).</summary>
    ValueTask<StoredSnapshot?> ReadSnapshotAsync(long position, CancellationToken ct);
}
