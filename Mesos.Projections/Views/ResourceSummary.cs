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

    /// <summary>
    /// The scalars summed over resource sets of different agents, whose ranges and sets must not be merged (port
    /// 31000 on two agents is two ports): the text lists the scalars only.
    /// </summary>
    public static ResourceSummary Sum(IEnumerable<ResourceSet> perAgent)
    {
        ScalarValue cpus = ScalarValue.Zero, mem = ScalarValue.Zero, disk = ScalarValue.Zero, gpus = ScalarValue.Zero;
        foreach (var resources in perAgent)
        {
            foreach (var r in resources.Entries)
            {
                if (r.Kind != ResourceKind.Scalar)
                {
                    continue;
                }

                switch (r.Name)
                {
                    case "cpus": cpus += r.Scalar; break;
                    case "mem": mem += r.Scalar; break;
                    case "disk": disk += r.Scalar; break;
                    case "gpus": gpus += r.Scalar; break;
                }
            }
        }

        return OfScalars(cpus, mem, disk, gpus);
    }

    public static ResourceSummary OfScalars(ScalarValue cpus, ScalarValue mem, ScalarValue disk, ScalarValue gpus)
    {
        var text = string.Join(";", new[] { ("cpus", cpus), ("disk", disk), ("gpus", gpus), ("mem", mem) }
            .Where(x => x.Item2.IsPositive)
            .Select(x => x.Item1 + ":" + x.Item2.ToDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new(cpus.ToDouble(), mem.ToDouble(), disk.ToDouble(), gpus.ToDouble(), string.Empty, text);
    }
}
