namespace Mesos.EventLog.Sqlite;

public sealed record SqliteEventLogOptions
{
    public static readonly SqliteEventLogOptions Default = new();

    /// <summary>
    /// How often a tail looks for events committed by another process (a standby, or the <c>mesos</c> tool reading
    /// the leader's file). Commits made through the same <see cref="SqliteEventLog"/> wake tails at once.
    /// </summary>
    public TimeSpan TailPollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Events read per query. A page is read and decoded before any of it is yielded, so a slow reader holds no snapshot open.</summary>
    public int ReadPageSize { get; init; } = 4096;
}
