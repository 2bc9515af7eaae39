using Mesos.Core.Events;

namespace Mesos.EventLog.Port;

/// <summary>An event as the log holds it: where it is, under which stored name and schema version, and when it happened.</summary>
public sealed record RecordedEvent(long Position, string TypeName, int Version, DateTimeOffset At, ClusterEvent Event);
