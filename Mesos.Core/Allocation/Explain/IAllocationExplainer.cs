using Mesos.Core.State;

namespace Mesos.Core.Allocation.Explain;

/// <summary>
/// An allocator that can say why: it runs a cycle again on the same input and keeps the reasons in
/// the given scope. The grants must be the ones <see cref="IAllocator.Allocate"/> gives for that input.
/// </summary>
public interface IAllocationExplainer
{
    AllocationExplanation Explain(ClusterState state, DateTimeOffset now, long seed, ExplainScope scope);
}
