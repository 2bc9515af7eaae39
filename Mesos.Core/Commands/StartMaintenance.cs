using Mesos.Core.Collections;
using Mesos.Core.Maintenance;

namespace Mesos.Core.Commands;

/// <summary>An operator brings scheduled machines down: their agents are removed and told to shut down.</summary>
public sealed record StartMaintenance(ValueArray<MachineId> Machines) : MasterCommand;
