namespace Mesos.Core.Events;

/// <summary>
/// Everything that happens in the cluster. Each event carries the time the master stamped on it and the
/// principal that caused it; the fold reads time from here and nowhere else.
/// </summary>
public abstract record ClusterEvent
{
    public required DateTimeOffset At { get; init; }

    public required string Principal { get; init; }
}
