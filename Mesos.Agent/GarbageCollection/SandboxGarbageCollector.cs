using Microsoft.Extensions.Logging;

namespace Mesos.Agent.GarbageCollection;

/// <summary>
/// Removes finished executors' sandboxes and meta directories after <c>--gc_delay</c>, sooner as the disk fills:
/// every <c>--disk_watch_interval</c> the disk usage of the work dir is read and what <see cref="GcPolicy"/> says is
/// too old is removed at once, as Mesos' agent does. The rules live in <see cref="GcSchedule"/> and
/// <see cref="GcPolicy"/>; this class only owns the timers and the deletes.
/// </summary>
public sealed class SandboxGarbageCollector : IAsyncDisposable
{
    private readonly GcSchedule _schedule = new();
    private readonly Lock _gate = new();
    private readonly string _workDir;
    private readonly TimeSpan _gcDelay;
    private readonly double _headroom;
    private readonly IDiskUsage _disk;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ITimer _diskWatch;
    private readonly ITimer _removal;
    private bool _disposed;

    public SandboxGarbageCollector(string workDir, TimeSpan gcDelay, double gcDiskHeadroom, TimeSpan diskWatchInterval, IDiskUsage disk, TimeProvider time, ILogger log)
    {
        _workDir = workDir;
        _gcDelay = gcDelay;
        _headroom = gcDiskHeadroom;
        _disk = disk;
        _time = time;
        _log = log;
        MaxAllowedAge = gcDelay;
        _removal = time.CreateTimer(_ => RemoveDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _diskWatch = time.CreateTimer(_ => CheckDiskUsage(), null, diskWatchInterval, diskWatchInterval);
    }

    /// <summary>The age beyond which the last disk check removed finished directories (Mesos' executorDirectoryMaxAllowedAge).</summary>
    public TimeSpan MaxAllowedAge { get; private set; }

    public int Scheduled
    {
        get
        {
            lock (_gate)
            {
                return _schedule.Count;
            }
        }
    }

    /// <summary>Schedules each path for removal <c>gc_delay</c> from now.</summary>
    public void Schedule(params string[] paths)
    {
        lock (_gate)
        {
            var at = _time.GetUtcNow() + _gcDelay;
            foreach (var path in paths)
            {
                _schedule.Schedule(path, at);
            }

            ArmLocked();
        }

        _log.LogInformation("Scheduled {Paths} for removal in {Delay}", string.Join(", ", paths), _gcDelay);
    }

    /// <summary>A directory in use again (a framework launching anew) is kept.</summary>
    public void Unschedule(string path)
    {
        lock (_gate)
        {
            _schedule.Unschedule(path);
            ArmLocked();
        }
    }

    private void ArmLocked()
    {
        if (_disposed)
        {
            return;
        }

        var next = _schedule.NextRemoval;
        _removal.Change(next is { } at ? Clamp(at - _time.GetUtcNow()) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    // Timers take at most about 49 days; a later removal is re-armed when the timer fires early.
    private static TimeSpan Clamp(TimeSpan due) => due < TimeSpan.Zero ? TimeSpan.Zero : due > TimeSpan.FromDays(40) ? TimeSpan.FromDays(40) : due;

    private void RemoveDue()
    {
        IReadOnlyList<string> due;
        lock (_gate)
        {
            due = _schedule.TakeDue(_time.GetUtcNow());
            ArmLocked();
        }

        Remove(due);
    }

    private void CheckDiskUsage()
    {
        double usage;
        try
        {
            usage = _disk.Usage(_workDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _log.LogWarning("Failed to get disk usage of {WorkDir}: {Message}", _workDir, e.Message);
            return;
        }

        IReadOnlyList<string> pruned;
        lock (_gate)
        {
            MaxAllowedAge = GcPolicy.MaxAllowedAge(_gcDelay, _headroom, usage);
            pruned = _schedule.Take(_time.GetUtcNow(), GcPolicy.PruneWindow(_gcDelay, _headroom, usage));
            ArmLocked();
        }

        if (pruned.Count > 0)
        {
            _log.LogInformation("Current disk usage {Usage:P2}. Max allowed age: {Age}; pruning {Count} directories", usage, MaxAllowedAge, pruned.Count);
        }

        Remove(pruned);
    }

    private void Remove(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                _log.LogInformation("Deleted {Path}", path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.LogWarning("Failed to delete {Path}: {Message}", path, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        await _diskWatch.DisposeAsync().ConfigureAwait(false);
        await _removal.DisposeAsync().ConfigureAwait(false);
    }
}
