using Mesos.Core.Events;

namespace Mesos.EventLog.Port;

/// <summary>
/// The single ordered, durable log of cluster events. Positions start at 1 and are consecutive; the head is the
/// position of the last event (0 for an empty log). Only the leading master appends; anyone may read and tail.
/// </summary>
public interface IEventLog : IAsyncDisposable
{
    /// <summary>
    /// Appends <paramref name="events"/> atomically (all or nothing) if the head is at
    /// <paramref name="expectedPosition"/> (0 = empty log); otherwise writes nothing and returns
    /// <see cref="AppendResult.Conflict"/>. <c>null</c> skips the check: for tools and benchmarks only, never for a
    /// master, whose expected position is what fences a deposed leader. Storage failures throw.
    /// </summary>
    ValueTask<AppendResult> AppendAsync(IReadOnlyList<ClusterEvent> events, long? expectedPosition, CancellationToken ct);

    /// <summary>
    /// Events with position &gt; <paramref name="afterPosition"/>, in order, up to the head as it was when the
    /// enumeration started; events committed while it runs are left for the next read (or use <see cref="TailAsync"/>).
    /// An event this build cannot decode ends the enumeration with an <c>EventDecodeException</c>.
    /// </summary>
    IAsyncEnumerable<RecordedEvent> ReadAsync(long afterPosition, CancellationToken ct);

    /// <summary>
    /// Like <see cref="ReadAsync"/>, then waits for and yields new events as they are committed, until
    /// <paramref name="ct"/> fires (the enumeration then throws <see cref="OperationCanceledException"/>).
    /// </summary>
    IAsyncEnumerable<RecordedEvent> TailAsync(long afterPosition, CancellationToken ct);

    ValueTask<long> GetHeadAsync(CancellationToken ct);
}
