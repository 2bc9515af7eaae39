using Mesos.EventLog.Port;
using Mesos.EventLog.Snapshots;

namespace Mesos.Master.Recovery;

/// <summary>Folds the log into a state: what a master does at start, and what an audit does on any machine.</summary>
public static class LogReplay
{
    /// <summary>The whole fold from empty, ignoring snapshots.</summary>
    public static Task<ReplayResult> ReplayAsync(IEventLog log, long upToPosition, CancellationToken ct) =>
        RecoverAsync(log, upToPosition, useSnapshots: false, ct);

    /// <summary>From the newest snapshot that verifies (when the log keeps any), then the tail.</summary>
    public static async Task<ReplayResult> RecoverAsync(IEventLog log, long upToPosition, bool useSnapshots, CancellationToken ct)
    {
        var recovered = await SnapshotRecovery.RecoverAsync(log, upToPosition, useSnapshots, ct).ConfigureAwait(false);
        return new ReplayResult(recovered.State, recovered.Position, recovered.EventsFolded, recovered.Elapsed)
        {
            SnapshotPosition = recovered.SnapshotPosition,
            Rejections = recovered.Rejections,
        };
    }
}
