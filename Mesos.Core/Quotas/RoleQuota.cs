using Mesos.Core.Resources;

namespace Mesos.Core.Quotas;

/// <summary>
/// UPDATE_QUOTA's QuotaConfig: scalar quantities (unreserved, no roles). <paramref name="Guarantees"/> are set aside
/// for the role before fair sharing; <paramref name="Limits"/> cap what the role and its subroles consume. A name
/// absent from the limits is unlimited; empty guarantees and limits remove the quota.
/// </summary>
public sealed record RoleQuota(string Role, ResourceSet Guarantees, ResourceSet Limits);
