namespace Mesos.Core.Frameworks;

/// <summary>Mesos' FrameworkInfo.Capability.Type, same numbers.</summary>
public enum FrameworkCapability
{
    Unknown = 0,
    RevocableResources = 1,
    TaskKillingState = 2,
    GpuResources = 3,
    SharedResources = 4,
    PartitionAware = 5,
    MultiRole = 6,
    ReservationRefinement = 7,
    RegionAware = 8,
}
