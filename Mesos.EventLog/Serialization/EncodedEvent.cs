namespace Mesos.EventLog.Serialization;

/// <summary>
/// An event ready to store: its catalogue name and version, the columns an adapter keeps beside the payload, and
/// the payload itself (UTF-8 JSON of the whole event record, <c>At</c> and <c>Principal</c> included).
/// </summary>
public sealed record EncodedEvent(string TypeName, int Version, DateTimeOffset At, string Principal, byte[] Payload);
