using Mediator;
using Mesos.Core.Quotas;
using Mesos.Master.Loop;

namespace Mesos.Master.Application;

public sealed class GetQuotaHandler(ClusterStateHolder holder) : IQueryHandler<GetQuota, IReadOnlyList<RoleQuota>>
{
    public ValueTask<IReadOnlyList<RoleQuota>> Handle(GetQuota query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<RoleQuota>>([.. holder.Current.State.Roles
            .Where(r => !r.Value.Guarantees.IsEmpty || !r.Value.Limits.IsEmpty)
            .Select(r => new RoleQuota(r.Key, r.Value.Guarantees, r.Value.Limits))]);
}
