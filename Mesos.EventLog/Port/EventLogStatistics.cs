namespace Mesos.EventLog.Port;

/// <summary>
/// Counters since the log was opened. <see cref="Commits"/> below <see cref="Appends"/> means group commit
/// shared transactions between appends.
/// </summary>
public readonly record struct EventLogStatistics(long Appends, long Conflicts, long Commits, long EventsAppended)
{
    public double AppendsPerCommit => Commits == 0 ? 0 : (double)Appends / Commits;

    public double EventsPerCommit => Commits == 0 ? 0 : (double)EventsAppended / Commits;
}
