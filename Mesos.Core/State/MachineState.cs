using Mesos.Core.Maintenance;

namespace Mesos.Core.State;

/// <summary>A machine in maintenance (Mesos' registry <c>MachineInfo</c>): draining or down, with its unavailability.</summary>
public sealed record MachineState(MachineId Id, MachineMode Mode, Unavailability Unavailability);
