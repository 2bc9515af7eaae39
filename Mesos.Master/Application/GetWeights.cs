using Mediator;
using Mesos.Core.Quotas;

namespace Mesos.Master.Application;

/// <summary>GET_WEIGHTS: the roles whose weight is not the default, in role order.</summary>
public sealed record GetWeights : IQuery<IReadOnlyList<RoleWeight>>;
