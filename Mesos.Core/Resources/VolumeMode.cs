namespace Mesos.Core.Resources;

/// <summary>Mesos' Volume.Mode, same numbers.</summary>
public enum VolumeMode
{
    Rw = 1,
    Ro = 2,
}
