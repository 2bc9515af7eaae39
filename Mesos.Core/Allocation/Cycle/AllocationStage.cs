namespace Mesos.Core.Allocation.Cycle;

/// <summary>Mesos 1.11's two passes over the agents: quota guarantees first, then fair sharing of the rest.</summary>
public enum AllocationStage
{
    Guarantees = 0,
    FairShare = 1,
}
