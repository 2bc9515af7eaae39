namespace Mesos.Agent.GarbageCollection;

/// <summary>
/// Mesos' rule for how long a finished executor's directories may stay (slave.cpp <c>Slave::age</c> and
/// <c>_checkDiskUsage</c>): every directory is scheduled <c>gc_delay</c> ahead; at each disk check the allowed age
/// shrinks to <c>gc_delay * max(0, 1 - gc_disk_headroom - usage)</c>, and what was scheduled at least that long ago
/// is removed at once.
/// </summary>
public static class GcPolicy
{
    /// <summary>Mesos' executorDirectoryMaxAllowedAge for a disk <paramref name="usage"/> between 0 and 1.</summary>
    public static TimeSpan MaxAllowedAge(TimeSpan gcDelay, double gcDiskHeadroom, double usage) =>
        gcDelay * Math.Max(0.0, 1.0 - gcDiskHeadroom - usage);

    /// <summary>
    /// Directories whose removal is due within this window are removed now: since each is scheduled
    /// <paramref name="gcDelay"/> ahead, exactly those at least <see cref="MaxAllowedAge"/> old.
    /// </summary>
    public static TimeSpan PruneWindow(TimeSpan gcDelay, double gcDiskHeadroom, double usage) =>
        gcDelay - MaxAllowedAge(gcDelay, gcDiskHeadroom, usage);
}
