namespace Mesos.Projections.Engine;

public sealed record ProjectionStatus(string Name, int Version, long Position, ProjectionFailure? Failure);
