using Mesos.Core.Collections;
using Mesos.Core.Maintenance;

namespace Mesos.Core.Commands;

/// <summary>An operator replaces the maintenance schedule (an empty one cancels it).</summary>
public sealed record UpdateMaintenanceSchedule(ValueArray<MaintenanceWindow> Windows) : MasterCommand;
