using Mesos.Core.Collections;

namespace Mesos.Core.Maintenance;

/// <summary>One window of a maintenance schedule: these machines are unavailable during <paramref name="Unavailability"/>.</summary>
public sealed record MaintenanceWindow(ValueArray<MachineId> Machines, Unavailability Unavailability);
