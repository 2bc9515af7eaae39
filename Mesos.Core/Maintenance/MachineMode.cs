namespace Mesos.Core.Maintenance;

/// <summary>Mesos' <c>MachineInfo.Mode</c>, numbered as Mesos numbers it.</summary>
public enum MachineMode
{
    /// <summary>Not in any maintenance: machines without an entry are up.</summary>
    Up = 1,

    /// <summary>In the schedule: its offers carry the unavailability and its frameworks get inverse offers.</summary>
    Draining = 2,

    /// <summary>Under maintenance (START_MAINTENANCE): its agents were removed and may not register until it is up.</summary>
    Down = 3,
}
