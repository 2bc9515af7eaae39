using System.Collections.Immutable;
using Mesos.Core.Collections;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;

namespace Mesos.Core.State;

/// <summary>
/// Maintenance as the operator set it and the frameworks answered it: the schedule, the machines in maintenance
/// (those without an entry are up), outstanding inverse offers, and each framework's last answer per agent.
/// </summary>
public sealed record MaintenanceState(
    ValueArray<MaintenanceWindow> Schedule,
    ImmutableSortedDictionary<MachineId, MachineState> Machines,
    ImmutableSortedDictionary<OfferId, InverseOfferState> InverseOffers,
    ImmutableSortedDictionary<AgentId, ImmutableSortedDictionary<FrameworkId, InverseOfferStatus>> Answers)
{
    public static readonly MaintenanceState Empty = new(
        ValueArray<MaintenanceWindow>.Empty,
        ImmutableSortedDictionary<MachineId, MachineState>.Empty,
        ImmutableSortedDictionary<OfferId, InverseOfferState>.Empty,
        ImmutableSortedDictionary<AgentId, ImmutableSortedDictionary<FrameworkId, InverseOfferStatus>>.Empty);

    public bool IsEmpty => Schedule.IsEmpty && Machines.IsEmpty && InverseOffers.IsEmpty && Answers.IsEmpty;

    public MachineMode ModeOf(MachineId machine) => Machines.TryGetValue(machine, out var m) ? m.Mode : MachineMode.Up;

    /// <summary>The unavailability offers of an agent on <paramref name="machine"/> carry, as Mesos' offers do; null when it is up.</summary>
    public Unavailability? UnavailabilityOf(MachineId machine) => Machines.TryGetValue(machine, out var m) ? m.Unavailability : null;
}
