using Mesos.Core.Resources;
using Mesos.Projections.Views;

namespace Mesos.Projections.Totals;

/// <summary>
/// CPUs, memory, disk and GPUs in exact thousandths. Cluster totals add agents' scalars rather than their
/// resource sets: ranges of different agents must not merge, and scalars add and subtract without drift.
/// </summary>
public readonly record struct Scalars(long Cpus, long Mem, long Disk, long Gpus)
{
    public static Scalars Of(ResourceSet resources) => new(
        resources.Scalar("cpus").Thousandths,
        resources.Scalar("mem").Thousandths,
        resources.Scalar("disk").Thousandths,
        resources.Scalar("gpus").Thousandths);

    public static Scalars operator +(Scalars a, Scalars b) => new(a.Cpus + b.Cpus, a.Mem + b.Mem, a.Disk + b.Disk, a.Gpus + b.Gpus);

    public static Scalars operator -(Scalars a, Scalars b) => new(a.Cpus - b.Cpus, a.Mem - b.Mem, a.Disk - b.Disk, a.Gpus - b.Gpus);

    public ResourceSummary Summary() => ResourceSummary.OfScalars(new(Cpus), new(Mem), new(Disk), new(Gpus));
}
