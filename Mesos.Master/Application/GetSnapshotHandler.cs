using Mediator;
using Mesos.Master.Loop;

namespace Mesos.Master.Application;

public sealed class GetSnapshotHandler(ClusterStateHolder holder) : IQueryHandler<GetSnapshot, ClusterSnapshot>
{
    public ValueTask<ClusterSnapshot> Handle(GetSnapshot query, CancellationToken cancellationToken) =>
        holder.AtLeastAsync(query.MinPosition, cancellationToken);
}
