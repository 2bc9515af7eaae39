using Mesos.Core.Collections;
using Mesos.Core.Quotas;

namespace Mesos.Core.Commands;

/// <summary>
/// UPDATE_QUOTA: all or nothing. Without <paramref name="Force"/>, refused when a role already consumes more than
/// its new limit.
/// </summary>
public sealed record UpdateQuota(ValueArray<RoleQuota> Quotas, bool Force) : MasterCommand;
