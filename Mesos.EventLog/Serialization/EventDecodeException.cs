namespace Mesos.EventLog.Serialization;

/// <summary>
/// A stored event that cannot be turned back into an event record. Replay must stop: skipping a committed event
/// would fold a different state than the master that wrote it.
/// </summary>
public abstract class EventDecodeException(long position, string typeName, int version, string message, Exception? inner)
    : Exception(message, inner)
{
    public long Position { get; } = position;

    public string TypeName { get; } = typeName;

    public int Version { get; } = version;
}
