namespace Mesos.EventLog.Port;

/// <summary>What a stored snapshot claims: the state after the event at <see cref="Position"/>, in payload format <see cref="Format"/>, with content hash <see cref="StateHash"/>.</summary>
public sealed record SnapshotInfo(long Position, int Format, string StateHash, DateTimeOffset TakenAt, long Length);
