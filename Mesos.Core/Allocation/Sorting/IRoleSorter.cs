namespace Mesos.Core.Allocation.Sorting;

/// <summary>
/// The fairness policy, apart from the allocator as Mesos' <c>Sorter</c>: how far a client (a role, or a framework
/// within a role) is from its fair share. Lower goes first; equal shares are ordered by the cycle's seed.
/// </summary>
public interface IRoleSorter
{
    /// <param name="allocated">What the client holds, by resource index, in thousandths.</param>
    /// <param name="total">The cluster's total, by the same index.</param>
    /// <param name="weight">The client's weight (1 for frameworks).</param>
    double Share(ReadOnlySpan<long> allocated, ReadOnlySpan<long> total, double weight);
}
