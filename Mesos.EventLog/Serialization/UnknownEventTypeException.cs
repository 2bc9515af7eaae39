namespace Mesos.EventLog.Serialization;

/// <summary>The log holds an event whose stored name and version are not in this build's <c>EventCatalogue</c>.</summary>
public sealed class UnknownEventTypeException(long position, string typeName, int version)
    : EventDecodeException(
        position,
        typeName,
        version,
        $"event at position {position} has unknown type '{typeName}' version {version}; this master cannot replay this log",
        null);
