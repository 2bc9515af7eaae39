namespace Mesos.EventLog.Port;

/// <summary>
/// What became of an append. A conflict is an expected outcome (another writer moved the head: this one is no
/// longer the leader, or its state is stale), so it is a result and not an exception.
/// </summary>
public abstract record AppendResult
{
    // Only the two cases below: callers may switch over them exhaustively.
    private AppendResult()
    {
    }

    /// <summary>The batch is durable at positions <paramref name="FirstPosition"/>..<paramref name="LastPosition"/>; the head is now <paramref name="LastPosition"/>.</summary>
    public sealed record Appended(long FirstPosition, long LastPosition) : AppendResult
    {
        public int Count => checked((int)(LastPosition - FirstPosition + 1));
    }

    /// <summary>Nothing was written: the caller expected the head at <paramref name="Expected"/> but it was at <paramref name="Actual"/>.</summary>
    public sealed record Conflict(long Expected, long Actual) : AppendResult;
}
