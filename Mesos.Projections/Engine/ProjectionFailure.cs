namespace Mesos.Projections.Engine;

/// <summary>A projection threw on the event at <paramref name="Position"/>; it stopped there, at <c>Position - 1</c>.</summary>
public sealed record ProjectionFailure(string Projection, long Position, string EventType, string Message)
{
    public override string ToString() => $"projection '{Projection}' failed on event {Position} ({EventType}): {Message}";
}
