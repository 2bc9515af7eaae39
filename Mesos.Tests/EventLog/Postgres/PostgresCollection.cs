namespace Mesos.Tests.EventLog.Postgres;

/// <summary>Test classes in this collection share one private PostgreSQL cluster, started once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
