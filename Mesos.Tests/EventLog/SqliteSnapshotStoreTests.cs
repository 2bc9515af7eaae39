using Mesos.EventLog.Port;
using Mesos.EventLog.Sqlite;

namespace Mesos.Tests.EventLog;

/// <summary>The snapshot contract against the embedded SQLite log (a table in the log's own file).</summary>
public sealed class SqliteSnapshotStoreTests : SnapshotStoreContractTests, IDisposable
{
    private readonly TempDirectory directory = new();

    protected override async Task<IEventLog> OpenAsync(string name) =>
        await SqliteEventLog.OpenAsync(directory.File(name + ".db"), Timeout);

    public void Dispose() => directory.Dispose();
}
