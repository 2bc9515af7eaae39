using Mediator;
using Mesos.Master.Loop;

namespace Mesos.Master.Application;

/// <summary>The cluster as of at least <see cref="MinPosition"/> (read your own writes); never blocks the master loop.</summary>
public sealed record GetSnapshot(long MinPosition = 0) : IQuery<ClusterSnapshot>;
