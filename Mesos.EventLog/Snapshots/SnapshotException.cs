using System.Globalization;

namespace Mesos.EventLog.Snapshots;

/// <summary>A stored snapshot that cannot be used; recovery reports it and folds the log instead.</summary>
public sealed class SnapshotException(long position, string reason, Exception? inner = null)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"The snapshot at log position {position} {reason}"), inner)
{
    public long Position { get; } = position;

    public string Reason { get; } = reason;
}
