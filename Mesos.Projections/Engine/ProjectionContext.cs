using Mesos.Core.Events;
using Mesos.Core.State;

namespace Mesos.Projections.Engine;

/// <summary>
/// One committed event as a projection sees it: with the cluster state before and after it, so that read models
/// take resource accounting from the fold itself instead of re-implementing it (and cannot drift from it), and
/// with the ids it touched.
/// </summary>
public sealed record ProjectionContext(long Position, ClusterEvent Event, string TypeName, ClusterState Before, ClusterState After, EventScope Scope);
