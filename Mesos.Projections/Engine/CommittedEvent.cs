using Mesos.Core.Events;

namespace Mesos.Projections.Engine;

/// <summary>An event the log has made durable, at its position. Projections see nothing else of the log.</summary>
public readonly record struct CommittedEvent(long Position, ClusterEvent Event);
