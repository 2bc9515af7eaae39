using Mesos.Core.Collections;
using Mesos.Core.Quotas;

namespace Mesos.Core.Events;

/// <summary>UPDATE_WEIGHTS (or the master's <c>--weights</c> at election): these roles' weights are now as given.</summary>
public sealed record RoleWeightsUpdated(ValueArray<RoleWeight> Weights) : ClusterEvent;

/// <summary>UPDATE_QUOTA: every listed role's quota is replaced, all together.</summary>
public sealed record QuotaUpdated(ValueArray<RoleQuota> Quotas) : ClusterEvent;
