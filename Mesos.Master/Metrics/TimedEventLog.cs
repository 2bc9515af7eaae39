using System.Diagnostics;
using Mesos.Core.Events;
using Mesos.EventLog.Port;

namespace Mesos.Master.Metrics;

/// <summary>The event log as the master loop uses it, timing each append (durable commit included) for <c>/metrics</c>.</summary>
public sealed class TimedEventLog(IEventLog inner, LatencyHistogram appends) : IEventLog
{
    public async ValueTask<AppendResult> AppendAsync(IReadOnlyList<ClusterEvent> events, long? expectedPosition, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.AppendAsync(events, expectedPosition, ct).ConfigureAwait(false);
        }
        finally
        {
            appends.Record(Stopwatch.GetElapsedTime(started));
        }
    }

    public IAsyncEnumerable<RecordedEvent> ReadAsync(long afterPosition, CancellationToken ct) => inner.ReadAsync(afterPosition, ct);

    public IAsyncEnumerable<RecordedEvent> TailAsync(long afterPosition, CancellationToken ct) => inner.TailAsync(afterPosition, ct);

    public ValueTask<long> GetHeadAsync(CancellationToken ct) => inner.GetHeadAsync(ct);

    // The master server owns the inner log and disposes it after the host has stopped.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
