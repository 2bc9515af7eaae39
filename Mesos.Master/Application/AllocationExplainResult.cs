using Mesos.Core.Allocation.Explain;
using Mesos.Core.Decisions;
using Mesos.Master.Allocation;

namespace Mesos.Master.Application;

/// <summary>
/// The reasons of the latest cycle (<see cref="Cycle"/>; null before the first cycle has run, with no reasons), or
/// why the question cannot be answered (<see cref="Error"/>: no subject, an unknown framework or agent).
/// </summary>
public sealed record AllocationExplainResult(AllocationCycleInput? Cycle, IReadOnlyList<AllocationReason> Reasons, DecideError? Error);
