using Mesos.Core.State;

namespace Mesos.Master.Allocation;

/// <summary>
/// What one allocation cycle decided on: the folded state at log position <see cref="Position"/>, its time and its
/// seed. The allocator is pure, so this is enough to run the cycle again and say why it decided as it did; the
/// reasons themselves are never stored.
/// </summary>
public sealed record AllocationCycleInput(ClusterState State, DateTimeOffset At, long Seed, long Position, int OffersMade);
