using Mesos.Core.Collections;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;

namespace Mesos.Core.Events;

public sealed record FrameworkSubscribed(FrameworkId FrameworkId, FrameworkInfo Info, bool Resubscribed) : ClusterEvent;

/// <summary>Its event stream broke; its offers are void and its failover timeout runs from <see cref="ClusterEvent.At"/>.</summary>
public sealed record FrameworkDisconnected(FrameworkId FrameworkId) : ClusterEvent;

/// <summary>Torn down, or not back within its failover timeout. Its tasks are killed and its offers void.</summary>
public sealed record FrameworkRemoved(FrameworkId FrameworkId, string Reason) : ClusterEvent;

/// <summary>SUPPRESS: no offers for these roles until revived.</summary>
public sealed record FrameworkSuppressed(FrameworkId FrameworkId, ValueArray<string> Roles) : ClusterEvent;

/// <summary>REVIVE: offers again for these roles, and every decline filter of the framework cleared.</summary>
public sealed record FrameworkRevived(FrameworkId FrameworkId, ValueArray<string> Roles) : ClusterEvent;

/// <summary>
/// UPDATE_FRAMEWORK: the framework's info and suppressed roles are now these (the whole set, not a change). The offers
/// of roles it left are rescinded by their own events before this one.
/// </summary>
public sealed record FrameworkUpdated(FrameworkId FrameworkId, FrameworkInfo Info, ValueArray<string> SuppressedRoles) : ClusterEvent;
