using Mesos.Core.Masters;

namespace Mesos.Core.Events;

/// <summary>
/// A master took the lead (at every start of a single master). Connections to agents and frameworks do not
/// survive it: every agent and framework is disconnected until it comes back, and outstanding offers are void.
/// </summary>
public sealed record MasterElected(MasterIdentity Master) : ClusterEvent;
