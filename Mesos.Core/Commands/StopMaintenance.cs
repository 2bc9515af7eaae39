using Mesos.Core.Collections;
using Mesos.Core.Maintenance;

namespace Mesos.Core.Commands;

/// <summary>An operator brings DOWN machines back up and out of the schedule.</summary>
public sealed record StopMaintenance(ValueArray<MachineId> Machines) : MasterCommand;
