namespace Mesos.EventLog.Port;

/// <summary>A snapshot as a store holds it: <see cref="Payload"/> is opaque to the store (see <c>SnapshotCodec</c>).</summary>
public sealed record StoredSnapshot(long Position, int Format, string StateHash, DateTimeOffset TakenAt, byte[] Payload)
{
    public SnapshotInfo Info => new(Position, Format, StateHash, TakenAt, Payload.LongLength);
}
