using System.Globalization;
using Mesos.Core.Resources;

namespace Mesos.Agent.Configuration;

/// <summary>
/// Mesos' resource autodetection: what <c>--resources</c> does not name is filled in from the machine,
/// leaving headroom for the agent and the operating system.
/// </summary>
public static class ResourceDetector
{
    private const double MegabytesPerGigabyte = 1024;

    public static ResourceSet Complete(ResourceSet given, string workDir)
    {
        var names = given.Entries.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var detected = new List<Resource>();
        if (!names.Contains("cpus"))
        {
            detected.Add(Resource.OfScalar("cpus", Environment.ProcessorCount));
        }

        if (!names.Contains("mem"))
        {
            detected.Add(Resource.OfScalar("mem", Headroom(TotalMemoryMegabytes() ?? 1024 + 1024, 1 * MegabytesPerGigabyte, 2 * MegabytesPerGigabyte)));
        }

        if (!names.Contains("disk"))
        {
            detected.Add(Resource.OfScalar("disk", Headroom(FreeDiskMegabytes(workDir) ?? 10 * MegabytesPerGigabyte + 5 * MegabytesPerGigabyte, 5 * MegabytesPerGigabyte, 10 * MegabytesPerGigabyte)));
        }

        if (!names.Contains("ports"))
        {
            detected.Add(Resource.OfRanges("ports", RangeSet.Of([new ValueRange(31000, 32000)])));
        }

        return given + ResourceSet.Of(detected);
    }

    /// <summary>Keeps <paramref name="reserve"/> for the host, or half when the machine has less than <paramref name="threshold"/>.</summary>
    private static double Headroom(double total, double reserve, double threshold) =>
        Math.Floor(total >= threshold ? total - reserve : total / 2);

    private static double? TotalMemoryMegabytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var number = line["MemTotal:".Length..].Trim().Split(' ')[0];
                    return double.Parse(number, CultureInfo.InvariantCulture) / 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available / (1024.0 * 1024.0) : null;
    }

    private static double? FreeDiskMegabytes(string workDir)
    {
        try
        {
            // The work dir may not exist yet; its nearest existing ancestor sits on the same filesystem.
            var path = Path.GetFullPath(workDir);
            while (!Directory.Exists(path))
            {
                var parent = Path.GetDirectoryName(path);
                if (parent is null)
                {
                    return null;
                }

                path = parent;
            }

            return new DriveInfo(path).AvailableFreeSpace / (1024.0 * 1024.0);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
