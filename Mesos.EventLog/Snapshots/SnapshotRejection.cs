namespace Mesos.EventLog.Snapshots;

/// <summary>A stored snapshot that recovery passed over, and why.</summary>
public sealed record SnapshotRejection(long Position, string Reason);
