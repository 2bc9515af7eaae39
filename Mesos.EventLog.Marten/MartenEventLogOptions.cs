namespace Mesos.EventLog.Marten;

public sealed record MartenEventLogOptions
{
    /// <summary>The PostgreSQL schema holding Marten's event tables; one registry per schema.</summary>
    public string Schema { get; init; } = "mesos";

    /// <summary>The key of the one stream that is the log (see <see cref="MartenEventLog"/> for why one).</summary>
    public string StreamKey { get; init; } = "cluster";

    /// <summary>How often a tail polls when no notification arrives (LISTEN/NOTIFY wakes it at once otherwise).</summary>
    public TimeSpan TailPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Events read per query.</summary>
    public int ReadPageSize { get; init; } = 4096;
}
