using Mesos.Core.Resources;

namespace Mesos.Projections.Views;

/// <summary>The scalars the UI shows in columns, plus the whole set in Mesos' text form.</summary>
public sealed record ResourceSummary(double Cpus, double Mem, double Disk, double Gpus, string Ports, string Text)
{
    public static readonly ResourceSummary Empty = From(ResourceSet.Empty);

    public static ResourceSummary From(ResourceSet resources) => new(
        resources.Scalar("cpus").ToDouble(),
        resources.Scalar("mem").ToDouble(),
        resources.Scalar("disk").ToDouble(),
        resources.Scalar("gpus").ToDouble(),
        string.Join(",", resources.Entries.Where(r => r.Name == "ports" && r.Kind == ResourceKind.Ranges).Select(r => r.Ranges.ToString())),
        resources.ToString());
}
