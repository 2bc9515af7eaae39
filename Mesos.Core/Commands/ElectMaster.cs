using Mesos.Core.Allocation;
using Mesos.Core.Masters;

namespace Mesos.Core.Commands;

/// <summary>Take the lead: appended once per master start, after the log is replayed.</summary>
public sealed record ElectMaster(MasterIdentity Master) : MasterCommand
{
    /// <summary>
    /// The leader's <c>--min_allocatable_resources</c>; recorded with the election when it differs from the log's.
    /// Null leaves the log's as it is.
    /// </summary>
    public MinimumAllocatable? MinAllocatableResources { get; init; }
}
