using System.Diagnostics;
using Mesos.EventLog.Port;
using Mesos.EventLog.Snapshots;
using Mesos.Master.Configuration;
using Mesos.Master.Loop;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Master.Recovery;

/// <summary>
/// Writes a snapshot of the folded state every <c>--snapshot_interval</c> events, beside the log. It never touches
/// the master loop: it waits on the published state like any reader, and encodes the immutable
/// <see cref="ClusterSnapshot"/> it was handed on a pool thread while the loop goes on appending. One snapshot at
/// a time; if the log grew by several intervals meanwhile, the next one is simply of the newer state.
/// <paramref name="store"/> is the log itself when its adapter keeps snapshots (both do), <c>null</c> otherwise.
/// </summary>
internal sealed partial class SnapshotWriter(
    MasterOptions options,
    ClusterStateHolder holder,
    ISnapshotStore? store,
    TimeProvider time,
    ILogger<SnapshotWriter> logger) : BackgroundService
{
    /// <summary>Snapshots kept: the newest, and one before it in case the newest turns out damaged.</summary>
    public const int Keep = 2;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.SnapshotInterval <= 0 || store is null)
        {
            return;
        }

        long last;
        try
        {
            var current = holder.Current.Position;
            var stored = await store.ListSnapshotsAsync(stoppingToken).ConfigureAwait(false);
            last = stored.Select(s => s.Position).Where(p => p <= current).DefaultIfEmpty(0).Max();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            LogListFailed(logger, e.Message);
            last = 0;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            ClusterSnapshot snapshot;
            try
            {
                snapshot = await holder.AtLeastAsync(last + options.SnapshotInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var stopwatch = Stopwatch.StartNew();
            try
            {
                var encoded = await Task.Run(() => SnapshotCodec.Encode(snapshot.State, snapshot.Position, time.GetUtcNow()), stoppingToken).ConfigureAwait(false);
                var encodedIn = stopwatch.Elapsed;
                await store.SaveSnapshotAsync(encoded, Keep, stoppingToken).ConfigureAwait(false);
                LogWritten(logger, snapshot.Position, encoded.Payload.Length, encodedIn.TotalMilliseconds, stopwatch.Elapsed.TotalMilliseconds, encoded.StateHash);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A lost snapshot costs a longer recovery, nothing else: try again after the next interval.
                LogWriteFailed(logger, snapshot.Position, e.Message);
            }

            last = snapshot.Position;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot at log position {Position}: {Bytes} bytes, encoded in {EncodeMs:0.0} ms, stored in {TotalMs:0.0} ms; state hash {Hash}")]
    private static partial void LogWritten(ILogger logger, long position, int bytes, double encodeMs, double totalMs, string hash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the snapshot at log position {Position}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, long position, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list the stored snapshots: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string reason);
}
