namespace Mesos.Agent.GarbageCollection;

/// <summary>
/// Which paths are to be removed when; time comes in as data, so the rules are tested without a clock. Not
/// thread-safe: <see cref="SandboxGarbageCollector"/> holds it under its lock.
/// </summary>
public sealed class GcSchedule
{
    private readonly Dictionary<string, DateTimeOffset> _removeAt = new(StringComparer.Ordinal);

    public int Count => _removeAt.Count;

    /// <summary>The earliest removal time, or null when nothing is scheduled.</summary>
    public DateTimeOffset? NextRemoval => _removeAt.Count == 0 ? null : _removeAt.Values.Min();

    /// <summary>Schedules <paramref name="path"/> for <paramref name="removeAt"/>; a path scheduled again keeps the later time.</summary>
    public void Schedule(string path, DateTimeOffset removeAt)
    {
        _removeAt[path] = _removeAt.TryGetValue(path, out var existing) && existing > removeAt ? existing : removeAt;
    }

    /// <summary>Takes the path out of the schedule (it is in use again); true if it was scheduled.</summary>
    public bool Unschedule(string path) => _removeAt.Remove(path);

    public DateTimeOffset? RemovalOf(string path) => _removeAt.TryGetValue(path, out var at) ? at : null;

    /// <summary>Takes every path whose removal is due by <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<string> TakeDue(DateTimeOffset now) => Take(now, TimeSpan.Zero);

    /// <summary>Takes every path whose removal is due within <paramref name="window"/> of <paramref name="now"/> (Mesos' prune).</summary>
    public IReadOnlyList<string> Take(DateTimeOffset now, TimeSpan window)
    {
        var taken = _removeAt.Where(p => p.Value - now <= window).OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).ToList();
        foreach (var path in taken)
        {
            _removeAt.Remove(path);
        }

        return taken;
    }
}
