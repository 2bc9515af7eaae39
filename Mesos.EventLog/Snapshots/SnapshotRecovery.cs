using System.Diagnostics;
using System.Globalization;
using Mesos.Core.State;
using Mesos.EventLog.Port;

namespace Mesos.EventLog.Snapshots;

/// <summary>
/// Folds a log into a state, starting from the newest stored snapshot that verifies (format, payload, content
/// hash) when the log keeps snapshots. A snapshot that does not verify is reported and the next older one is
/// tried, down to a fold from empty: a damaged snapshot costs time, never a wrong state.
/// </summary>
public static class SnapshotRecovery
{
    /// <param name="upToPosition">The last position to fold (<see cref="long.MaxValue"/>: the head as it is now).</param>
    /// <param name="useSnapshots">False folds from empty whatever is stored (an audit's full replay).</param>
    public static async Task<RecoveredState> RecoverAsync(IEventLog log, long upToPosition, bool useSnapshots, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(log);
        var stopwatch = Stopwatch.StartNew();
        var state = ClusterState.Empty;
        long from = 0;
        var rejections = new List<SnapshotRejection>();
        if (useSnapshots && log is ISnapshotStore store)
        {
            (state, from) = await LatestUsableAsync(log, store, upToPosition, rejections, ct).ConfigureAwait(false);
        }

        long position = from;
        long count = 0;
        if (position < upToPosition)
        {
            await foreach (var recorded in log.ReadAsync(from, ct).ConfigureAwait(false))
            {
                if (recorded.Position > upToPosition)
                {
                    break;
                }

                state = ClusterFold.Apply(state, recorded.Event);
                position = recorded.Position;
                count++;
            }
        }

        return new RecoveredState(state, position, count, from, rejections, stopwatch.Elapsed);
    }

    private static async Task<(ClusterState State, long Position)> LatestUsableAsync(
        IEventLog log, ISnapshotStore store, long upToPosition, List<SnapshotRejection> rejections, CancellationToken ct)
    {
        var head = await log.GetHeadAsync(ct).ConfigureAwait(false);
        var snapshots = await store.ListSnapshotsAsync(ct).ConfigureAwait(false);
        foreach (var info in snapshots)
        {
            if (info.Position > head)
            {
                // Left by a history this log no longer holds (a restored backup): it describes events that are not here.
                rejections.Add(new SnapshotRejection(info.Position, string.Create(CultureInfo.InvariantCulture, $"is beyond the log's head ({head})")));
                continue;
            }

            if (info.Position > upToPosition)
            {
                continue;
            }

            if (info.Format != SnapshotCodec.Format)
            {
                rejections.Add(new SnapshotRejection(info.Position, string.Create(CultureInfo.InvariantCulture, $"is in format {info.Format}; this build reads format {SnapshotCodec.Format} only")));
                continue;
            }

            try
            {
                var stored = await store.ReadSnapshotAsync(info.Position, ct).ConfigureAwait(false);
                if (stored is null)
                {
                    continue;
                }

                return (SnapshotCodec.Decode(stored), stored.Position);
            }
            catch (SnapshotException e)
            {
                rejections.Add(new SnapshotRejection(e.Position, e.Reason));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A snapshot is only a shortcut: whatever stops it loading (a storage error, a bug) leaves the log to fold.
                rejections.Add(new SnapshotRejection(info.Position, "cannot be loaded: " + e.Message));
            }
        }

        return (ClusterState.Empty, 0);
    }
}
