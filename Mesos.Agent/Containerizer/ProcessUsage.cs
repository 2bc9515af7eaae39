using System.Globalization;

namespace Mesos.Agent.Containerizer;

/// <summary>Usage of a posix container (no cgroups): the CPU times and RSS of its process group's members, from /proc.</summary>
public static class ProcessUsage
{
    // USER_HZ, which /proc/[pid]/stat counts in, is 100 on every Linux the agent runs on.
    private const double TicksPerSecond = 100;

    public static ResourceUsage OfGroup(int processGroupId)
    {
        double user = 0, system = 0;
        long rss = 0;
        var members = ProcessTable.LiveMembersOfGroup(processGroupId);
        foreach (var pid in members)
        {
            string text;
            try
            {
                text = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

            // After the name, field 3 (state) is index 0: utime is field 14, stime 15, rss (pages) 24.
            if (fields.Length > 21
                && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
                && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime)
                && long.TryParse(fields[21], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pages))
            {
                user += utime / TicksPerSecond;
                system += stime / TicksPerSecond;
                rss += pages * Environment.SystemPageSize;
            }
        }

        return new ResourceUsage(user, system, rss, null, null, null, null, members.Count);
    }
}
