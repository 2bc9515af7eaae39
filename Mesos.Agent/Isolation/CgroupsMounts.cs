using System.Globalization;

namespace Mesos.Agent.Isolation;

/// <summary>
/// Where the agent may create container cgroups, found at start-up: for v1 one directory per controller
/// (<c>&lt;mount&gt;/&lt;cgroups_root&gt;</c>, else the same under the agent's own cgroup), for v2 one directory in the
/// unified hierarchy. A controller missing from <see cref="Roots"/> is not usable here, and <see cref="Problems"/> says why.
/// </summary>
public sealed record CgroupsMounts(CgroupsVersion Version, IReadOnlyDictionary<string, string> Roots, IReadOnlyList<string> Problems)
{
    /// <summary>The v1 controllers the agent uses; v2 names cpu (with cpuacct's figures), memory, pids, freezer (cgroup.freeze).</summary>
    public static readonly IReadOnlyList<string> Controllers = ["cpu", "cpuacct", "memory", "pids", "freezer"];

    public bool Has(string controller) => Roots.ContainsKey(controller);

    /// <summary>Probes the machine: reads the mounts and this process's cgroups, and tries to create (and remove) a child.</summary>
    public static CgroupsMounts Detect(string cgroupsRoot, string mountsFile = "/proc/self/mounts", string selfCgroupFile = "/proc/self/cgroup")
    {
        var problems = new List<string>();
        var mounts = ReadLines(mountsFile)
            .Select(line => line.Split(' '))
            .Where(f => f.Length >= 4)
            .Select(f => (Path: Unescape(f[1]), Type: f[2], Options: f[3].Split(',')))
            .ToList();
        var own = ReadLines(selfCgroupFile)
            .Select(line => line.Split(':', 3))
            .Where(f => f.Length == 3)
            .ToList();

        var unified = mounts.FirstOrDefault(m => m.Type == "cgroup2" && m.Path == "/sys/fs/cgroup");
        var v1 = mounts.Where(m => m.Type == "cgroup").ToList();
        if (unified.Path is not null && v1.Count == 0)
        {
            var roots = new Dictionary<string, string>(StringComparer.Ordinal);
            var ownPath = own.FirstOrDefault(f => f[0] == "0")?[2] ?? "/";
            var available = ReadText(Path.Combine(unified.Path, "cgroup.controllers"))?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (Writable(CandidatesUnder(unified.Path, ownPath, cgroupsRoot), problems, "cgroup2") is { } dir)
            {
                EnableControllers(unified.Path, dir, available, problems);
                var enabled = ReadText(Path.Combine(dir, "cgroup.subtree_control"))?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
                foreach (var controller in Controllers)
                {
                    var name = controller == "cpuacct" ? "cpu" : controller;
                    if (controller == "freezer" || enabled.Contains(name))
                    {
                        roots[controller] = dir;
                    }
                    else
                    {
                        problems.Add($"cgroup2 controller '{name}' is not enabled in {dir}/cgroup.subtree_control");
                    }
                }
            }

            return new CgroupsMounts(CgroupsVersion.V2, roots, problems);
        }

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in Controllers)
        {
            var mount = v1.FirstOrDefault(m => m.Options.Contains(controller));
            if (mount.Path is null)
            {
                problems.Add($"no cgroup v1 hierarchy with the '{controller}' controller is mounted");
                continue;
            }

            var ownPath = own.FirstOrDefault(f => f[1].Split(',').Contains(controller))?[2] ?? "/";
            if (Writable(CandidatesUnder(mount.Path, ownPath, cgroupsRoot), problems, controller) is { } dir)
            {
                found[controller] = dir;
            }
        }

        return new CgroupsMounts(CgroupsVersion.V1, found, problems);
    }

    private static IEnumerable<string> CandidatesUnder(string mount, string ownPath, string cgroupsRoot)
    {
        yield return Path.Combine(mount, cgroupsRoot);
        if (ownPath.Trim('/').Length > 0)
        {
            yield return Path.Combine(mount, ownPath.TrimStart('/'), cgroupsRoot);
        }
    }

    private static string? Writable(IEnumerable<string> candidates, List<string> problems, string what)
    {
        var reasons = new List<string>();
        foreach (var candidate in candidates)
        {
            var probe = Path.Combine(candidate, "probe-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                Directory.CreateDirectory(candidate);
                Directory.CreateDirectory(probe);
                Directory.Delete(probe);
                return candidate;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                reasons.Add($"{candidate}: {e.Message}");
            }
        }

        problems.Add($"cannot create cgroups for '{what}' ({string.Join("; ", reasons)})");
        return null;
    }

    private static void EnableControllers(string mount, string dir, IReadOnlyList<string> available, List<string> problems)
    {
        // Each level between the mount and our directory must delegate the controllers down.
        var wanted = new[] { "cpu", "memory", "pids" }.Where(available.Contains).ToList();
        var levels = new List<string>();
        for (var d = dir; d.Length > mount.Length; d = Path.GetDirectoryName(d)!)
        {
            levels.Insert(0, d);
        }

        foreach (var level in levels.Prepend(mount))
        {
            foreach (var controller in wanted)
            {
                try
                {
                    File.WriteAllText(Path.Combine(level, "cgroup.subtree_control"), "+" + controller);
                }
                catch (IOException e)
                {
                    problems.Add($"cannot enable '{controller}' in {level}: {e.Message}");
                }
                catch (UnauthorizedAccessException e)
                {
                    problems.Add($"cannot enable '{controller}' in {level}: {e.Message}");
                }
            }
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // /proc/self/mounts escapes space, tab, newline and backslash as octal.
    private static string Unescape(string path) => path
        .Replace("\\040", " ", StringComparison.Ordinal)
        .Replace("\\011", "\t", StringComparison.Ordinal)
        .Replace("\\012", "\n", StringComparison.Ordinal)
        .Replace("\\134", "\\", StringComparison.Ordinal);
}
