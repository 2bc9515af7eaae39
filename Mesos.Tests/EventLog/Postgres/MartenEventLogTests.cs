using Mesos.EventLog.Marten;
using Mesos.EventLog.Port;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>The event-log contract against PostgreSQL 15 through Marten: each test uses a stream of its own in this class's database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MartenEventLogTests(PostgresCluster cluster) : EventLogContractTests
{
    // A fresh name per test instance: tests share the class's database and schema, never a log.
    private readonly string prefix = "t" + Guid.NewGuid().ToString("N")[..12];

    protected override async Task<IEventLog> OpenAsync(string name) =>
        await MartenEventLog.OpenAsync(await cluster.DatabaseFor(GetType()), OptionsFor(name), Timeout);

    protected override async Task WriteRawEventAsync(string name, string typeName, int version, string payloadJson)
    {
        await using var log = await MartenEventLog.OpenAsync(await cluster.DatabaseFor(GetType()), OptionsFor(name), Timeout);
        await log.AppendRawAsync(typeName, version, payloadJson, Timeout);
    }

    private MartenEventLogOptions OptionsFor(string name) => new()
    {
        StreamKey = $"{prefix}-{name}",
        TailPollInterval = TimeSpan.FromMilliseconds(50),
    };
}
