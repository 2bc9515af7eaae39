using Mediator;
using Mesos.Core.Quotas;

namespace Mesos.Master.Application;

/// <summary>GET_QUOTA: the roles with a guarantee or a limit, in role order.</summary>
public sealed record GetQuota : IQuery<IReadOnlyList<RoleQuota>>;
