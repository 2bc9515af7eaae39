namespace Mesos.Core.Resources;

/// <summary>Mesos' Resource.ReservationInfo.Type, same numbers.</summary>
public enum ReservationType
{
    Unknown = 0,
    Static = 1,
    Dynamic = 2,
}
