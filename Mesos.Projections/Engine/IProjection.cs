namespace Mesos.Projections.Engine;

/// <summary>
/// A read model: a fold over committed events with its own checkpoint (<see cref="Position"/>, the last event it
/// reflects) and <see cref="Version"/> (bumped when its shape or fold changes, so a stored copy is rebuilt).
/// Apply is called by one thread, in log order; readers read immutable snapshots the projection publishes.
/// </summary>
public interface IProjection
{
    string Name { get; }

    int Version { get; }

    long Position { get; }

    void Apply(ProjectionContext context);

    /// <summary>Back to position 0 and empty, for a rebuild from the start of the log.</summary>
    void Reset();
}
