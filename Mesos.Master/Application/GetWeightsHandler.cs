using Mediator;
using Mesos.Core.Quotas;
using Mesos.Master.Loop;

namespace Mesos.Master.Application;

public sealed class GetWeightsHandler(ClusterStateHolder holder) : IQueryHandler<GetWeights, IReadOnlyList<RoleWeight>>
{
    public ValueTask<IReadOnlyList<RoleWeight>> Handle(GetWeights query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<RoleWeight>>([.. holder.Current.State.Roles
            .Where(r => r.Value.Weight != 1.0)
            .Select(r => new RoleWeight(r.Key, r.Value.Weight))]);
}
