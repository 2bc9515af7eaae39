using System.Diagnostics;
using System.Globalization;
using Mesos.Agent.Containerizer;

namespace Mesos.Agent.Isolation;

/// <summary>
/// One container's cgroups: created with its limits before launch, read for usage and OOM, used to kill every
/// process of the container (frozen first, so none can fork away while the others die), removed at the end.
/// </summary>
public sealed class ContainerCgroups
{
    public const long CfsPeriodMicroseconds = 100_000;

    // Mesos' floors: MIN_CPU_SHARES, MIN_CPU_CFS_QUOTA (1 ms) and MIN_MEMORY (32 MB).
    private const long MinCpuShares = 2;
    private const long MinCfsQuotaMicroseconds = 1_000;
    private const long MinMemoryBytes = 32L * 1024 * 1024;

    private readonly CgroupsVersion _version;
    private readonly Dictionary<string, string> _dirs;

    private ContainerCgroups(string containerId, CgroupsVersion version, Dictionary<string, string> dirs)
    {
        ContainerId = containerId;
        _version = version;
        _dirs = dirs;
    }

    public string ContainerId { get; }

    public long? MemoryLimitBytes { get; private set; }

    public double? CpusLimit { get; private set; }

    /// <summary>The <c>cgroup.procs</c> files a new process must join: one per distinct directory.</summary>
    public IReadOnlyList<string> ProcsFiles => _dirs.Values.Distinct(StringComparer.Ordinal).Select(d => Path.Combine(d, "cgroup.procs")).ToList();

    /// <summary>The cgroups of <paramref name="containerId"/> under the configured roots (whether or not they exist yet).</summary>
    public static ContainerCgroups For(IsolationConfig config, string containerId)
    {
        var mounts = config.Cgroups ?? throw new InvalidOperationException("cgroups isolation is not active");
        var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string controller)
        {
            if (mounts.Roots.TryGetValue(controller, out var root))
            {
                dirs[controller] = Path.Combine(root, containerId);
            }
        }

        if (config.Has("cgroups/cpu"))
        {
            Add("cpu");
            Add("cpuacct");
        }

        if (config.Has("cgroups/mem"))
        {
            Add("memory");
        }

        if (config.Has("cgroups/pids"))
        {
            Add("pids");
        }

        Add("freezer");
        return new ContainerCgroups(containerId, mounts.Version, dirs);
    }

    public bool Exists => _dirs.Values.Any(Directory.Exists);

    /// <summary>Creates the cgroups and writes the limits; throws <see cref="ContainerLaunchException"/> when it cannot.</summary>
    public void Create(double? cpus, double? memoryMegabytes, bool enableCfs)
    {
        try
        {
            foreach (var dir in _dirs.Values.Distinct(StringComparer.Ordinal))
            {
                Directory.CreateDirectory(dir);
            }

            if (cpus is { } c && _dirs.TryGetValue("cpu", out var cpuDir))
            {
                CpusLimit = c;
                var shares = Math.Max(MinCpuShares, (long)(1024 * c));
                var quota = Math.Max(MinCfsQuotaMicroseconds, (long)(CfsPeriodMicroseconds * c));
                if (_version == CgroupsVersion.V1)
                {
                    Write(cpuDir, "cpu.shares", shares);
                    if (enableCfs)
                    {
                        Write(cpuDir, "cpu.cfs_period_us", CfsPeriodMicroseconds);
                        Write(cpuDir, "cpu.cfs_quota_us", quota);
                    }
                }
                else
                {
                    // Mesos' conversion of shares [2, 262144] to weights [1, 10000].
                    Write(cpuDir, "cpu.weight", 1 + ((shares - 2) * 9999 / 262142));
                    WriteText(cpuDir, "cpu.max", enableCfs
                        ? quota.ToString(CultureInfo.InvariantCulture) + " " + CfsPeriodMicroseconds.ToString(CultureInfo.InvariantCulture)
                        : "max " + CfsPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
                }
            }

            if (memoryMegabytes is { } m && _dirs.TryGetValue("memory", out var memoryDir))
            {
                var bytes = Math.Max(MinMemoryBytes, (long)(m * 1024 * 1024));
                MemoryLimitBytes = bytes;
                Write(memoryDir, _version == CgroupsVersion.V1 ? "memory.limit_in_bytes" : "memory.max", bytes);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Remove();
            throw new ContainerLaunchException($"Failed to prepare the cgroups of container {ContainerId}: {e.Message}", e);
        }
    }

    /// <summary>Every process in the container's cgroups.</summary>
    public IReadOnlyList<int> Pids()
    {
        var pids = new HashSet<int>();
        foreach (var file in ProcsFiles)
        {
            foreach (var line in ReadLines(file))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    pids.Add(pid);
                }
            }
        }

        return pids.ToList();
    }

    public void Signal(int signal)
    {
        foreach (var pid in Pids())
        {
            PosixSignals.SignalProcess(pid, signal);
        }
    }

    /// <summary>
    /// Kills every process: freezes the container (nothing can fork or escape meanwhile), SIGKILLs each, thaws it so
    /// the signals land, and waits until the cgroups are empty. Returns whether they emptied.
    /// </summary>
    public async Task<bool> KillAllAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (Pids().Count == 0)
            {
                return true;
            }

            var frozen = await FreezeAsync(true, cancellationToken).ConfigureAwait(false);
            Signal(PosixSignals.SigKill);
            if (frozen)
            {
                await FreezeAsync(false, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }

        return Pids().Count == 0;
    }

    /// <summary>Whether the kernel's OOM killer acted in the memory cgroup, and the peak usage there.</summary>
    public (bool OomKilled, long? MaxUsageBytes) MemoryEvents()
    {
        if (!_dirs.TryGetValue("memory", out var dir))
        {
            return (false, null);
        }

        if (_version == CgroupsVersion.V1)
        {
            var oom = Field(ReadLines(Path.Combine(dir, "memory.oom_control")), "oom_kill") > 0
                || Field(ReadLines(Path.Combine(dir, "memory.oom_control")), "under_oom") > 0;
            return (oom, ReadLong(Path.Combine(dir, "memory.max_usage_in_bytes")));
        }

        return (Field(ReadLines(Path.Combine(dir, "memory.events")), "oom_kill") > 0, ReadLong(Path.Combine(dir, "memory.peak")));
    }

    /// <summary>CPU time and memory as the cgroups account them; fields the machine does not offer stay null.</summary>
    public ResourceUsage Usage()
    {
        double? user = null, system = null;
        long? rss = null, total = null, throttled = null, periods = null, throttledNs = null;
        if (_version == CgroupsVersion.V1)
        {
            if (_dirs.TryGetValue("cpuacct", out var acct))
            {
                var stat = ReadLines(Path.Combine(acct, "cpuacct.stat")).ToList();
                var hz = 100.0;
                user = Field(stat, "user") / hz;
                system = Field(stat, "system") / hz;
            }

            if (_dirs.TryGetValue("cpu", out var cpu))
            {
                var stat = ReadLines(Path.Combine(cpu, "cpu.stat")).ToList();
                periods = Field(stat, "nr_periods");
                throttled = Field(stat, "nr_throttled");
                throttledNs = Field(stat, "throttled_time");
            }

            if (_dirs.TryGetValue("memory", out var memory))
            {
                var stat = ReadLines(Path.Combine(memory, "memory.stat")).ToList();
                rss = Field(stat, "total_rss") ?? Field(stat, "rss");
                total = ReadLong(Path.Combine(memory, "memory.usage_in_bytes"));
            }
        }
        else
        {
            if (_dirs.TryGetValue("cpu", out var cpu))
            {
                var stat = ReadLines(Path.Combine(cpu, "cpu.stat")).ToList();
                user = Field(stat, "user_usec") / 1e6;
                system = Field(stat, "system_usec") / 1e6;
                periods = Field(stat, "nr_periods");
                throttled = Field(stat, "nr_throttled");
                throttledNs = Field(stat, "throttled_usec") * 1000;
            }

            if (_dirs.TryGetValue("memory", out var memory))
            {
                rss = Field(ReadLines(Path.Combine(memory, "memory.stat")).ToList(), "anon");
                total = ReadLong(Path.Combine(memory, "memory.current"));
            }
        }

        return new ResourceUsage(user, system, rss, total, periods, throttled, throttledNs is { } ns ? ns / 1e9 : null, Pids().Count);
    }

    /// <summary>Removes the cgroups (retrying while the kernel still counts exiting processes); false if some remain.</summary>
    public bool Remove()
    {
        var all = true;
        foreach (var dir in _dirs.Values.Distinct(StringComparer.Ordinal))
        {
            var removed = false;
            for (var attempt = 0; attempt < 50 && !removed; attempt++)
            {
                try
                {
                    if (Directory.Exists(dir))
                    {
                        Directory.Delete(dir);
                    }

                    removed = true;
                }
                catch (IOException)
                {
                    Thread.Sleep(10);
                }
                catch (UnauthorizedAccessException)
                {
                    break;
                }
            }

            all &= removed;
        }

        return all;
    }

    private async Task<bool> FreezeAsync(bool freeze, CancellationToken cancellationToken)
    {
        if (!_dirs.TryGetValue("freezer", out var dir))
        {
            return false;
        }

        try
        {
            if (_version == CgroupsVersion.V1)
            {
                WriteText(dir, "freezer.state", freeze ? "FROZEN" : "THAWED");
                var waited = Stopwatch.StartNew();
                while (freeze && waited.Elapsed < TimeSpan.FromSeconds(1) && File.ReadAllText(Path.Combine(dir, "freezer.state")).Trim() != "FROZEN")
                {
                    // FREEZING: some task is still on its way; asking again nudges the kernel along.
                    await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
                    WriteText(dir, "freezer.state", "FROZEN");
                }
            }
            else
            {
                WriteText(dir, "cgroup.freeze", freeze ? "1" : "0");
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? Field(IEnumerable<string> lines, string name)
    {
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == name && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }

    private static long? ReadLong(string path) =>
        ReadLines(path).FirstOrDefault() is { } line && long.TryParse(line.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

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

    private static void Write(string dir, string file, long value) => WriteText(dir, file, value.ToString(CultureInfo.InvariantCulture));

    private static void WriteText(string dir, string file, string value) => File.WriteAllText(Path.Combine(dir, file), value);
}
