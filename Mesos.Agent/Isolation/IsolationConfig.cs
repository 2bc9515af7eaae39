namespace Mesos.Agent.Isolation;

/// <summary>
/// The isolators in force, resolved once at start-up from <c>--isolation</c> and what the machine supports.
/// Names are Mesos': <c>cgroups/cpu</c>, <c>cgroups/mem</c>, <c>cgroups/pids</c>, <c>posix/cpu</c>, <c>posix/mem</c>,
/// <c>filesystem/posix</c>. With any cgroups isolator each container also gets a freezer cgroup (Mesos' Linux
/// launcher), so a kill reaches processes that left the task's process group.
/// </summary>
public sealed record IsolationConfig(IReadOnlyList<string> Isolators, CgroupsMounts? Cgroups, bool EnableCfs, string? Note)
{
    public const string CgroupsDefault = "cgroups/cpu,cgroups/mem";
    public const string PosixDefault = "posix/cpu,posix/mem";

    private static readonly Dictionary<string, string[]> CgroupControllers = new(StringComparer.Ordinal)
    {
        ["cgroups/cpu"] = ["cpu", "cpuacct"],
        ["cgroups/mem"] = ["memory"],
        ["cgroups/pids"] = ["pids"],
    };

    private static readonly HashSet<string> PosixIsolators = new(StringComparer.Ordinal) { "posix/cpu", "posix/mem", "filesystem/posix" };

    public static IsolationConfig Posix { get; } = new(["posix/cpu", "posix/mem"], null, false, null);

    public bool UsesCgroups => Cgroups is not null;

    public bool Has(string isolator) => Isolators.Contains(isolator);

    public override string ToString() => string.Join(",", Isolators);

    /// <summary>
    /// Chooses the isolators. Null <paramref name="requested"/> is the default: cgroups/cpu,cgroups/mem when the
    /// machine lets the agent create cgroups, else posix/cpu,posix/mem (with <see cref="Note"/> saying why).
    /// Asked for explicitly, an unknown or unsupported isolator throws <see cref="IsolationException"/>.
    /// </summary>
    public static IsolationConfig Resolve(string? requested, bool enableCfs, Func<CgroupsMounts> detect)
    {
        if (requested is null)
        {
            var probe = detect();
            var missing = new[] { "cpu", "cpuacct", "memory" }.Where(c => !probe.Has(c)).ToList();
            return missing.Count == 0
                ? new IsolationConfig(CgroupsDefault.Split(','), probe, enableCfs, null)
                : Posix with { Note = $"cgroups unavailable ({string.Join("; ", probe.Problems)}); using {PosixDefault}" };
        }

        var names = requested.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new IsolationException("Failed to load flag 'isolation': no isolator named");
        }

        foreach (var name in names.Where(n => !CgroupControllers.ContainsKey(n) && !PosixIsolators.Contains(n)))
        {
            throw new IsolationException(
                $"Unknown or unsupported isolator '{name}' in --isolation (supported: {string.Join(", ", CgroupControllers.Keys.Concat(PosixIsolators))})");
        }

        var cgroups = names.Where(CgroupControllers.ContainsKey).ToList();
        if (cgroups.Count == 0)
        {
            return new IsolationConfig(names, null, false, null);
        }

        var mounts = detect();
        foreach (var isolator in cgroups)
        {
            var missing = CgroupControllers[isolator].Where(c => !mounts.Has(c)).ToList();
            if (missing.Count > 0)
            {
                throw new IsolationException(
                    $"Isolator '{isolator}' is not supported on this machine: no writable cgroup for {string.Join(", ", missing)} ({string.Join("; ", mounts.Problems)})");
            }
        }

        return new IsolationConfig(names, mounts, enableCfs, null);
    }
}
