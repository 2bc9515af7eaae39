namespace Mesos.EventLog.Serialization;

/// <summary>The event's type is known but its stored payload does not decode to that type.</summary>
public sealed class EventPayloadException(long position, string typeName, int version, string reason, Exception? inner)
    : EventDecodeException(
        position,
        typeName,
        version,
        $"event at position {position} of type '{typeName}' version {version} has a payload that cannot be decoded ({reason}); this master cannot replay this log",
        inner);
