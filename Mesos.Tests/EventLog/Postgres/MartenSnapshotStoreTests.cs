using Mesos.EventLog.Marten;
using Mesos.EventLog.Port;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>The snapshot contract against PostgreSQL 15: each test uses a stream of its own in this class's database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MartenSnapshotStoreTests(PostgresCluster cluster) : SnapshotStoreContractTests
{
    private readonly string prefix = "s" + Guid.NewGuid().ToString("N")[..12];

    protected override async Task<IEventLog> OpenAsync(string name) =>
        await MartenEventLog.OpenAsync(await cluster.DatabaseFor(GetType()), new MartenEventLogOptions { StreamKey = $"{prefix}-{name}" }, Timeout);
}
