using Mesos.Core.Masters;

namespace Mesos.Core.Events;

/// <summary>
/// A master took the lead (at every start of a single master). Connections to agents and frameworks do not
/// survive it: every agent and framework is disconnected until it comes back, and outstanding offers are void.
/// </summary>
public sealed record MasterElected(MasterIdentity Master) : ClusterEvent;

/// <summary>
/// The allocator's configuration changed (the leader's <c>--min_allocatable_resources</c> differs from the log's):
/// appended with <see cref="MasterElected"/>, so that every later cycle, live or re-run by an audit, reads the
/// same settings from the state rather than from flags.
/// </summary>
public sealed record AllocatorConfigured(string MinAllocatableResources) : ClusterEvent;
