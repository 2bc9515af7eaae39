using Mesos.EventLog.Marten;
using Mesos.EventLog.Port;
using Mesos.EventLog.Sqlite;

namespace Mesos.Master.Registry;

/// <summary>Opens the event log a <see cref="RegistryOptions"/> names; the one place that knows the adapters.</summary>
public static class RegistryFactory
{
    /// <exception cref="EventLogFileException">The SQLite file cannot be used.</exception>
    /// <exception cref="RegistryException">The PostgreSQL registry cannot be reached or used.</exception>
    public static async Task<IEventLog> OpenAsync(RegistryOptions registry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Kind switch
        {
            RegistryKind.Sqlite => await SqliteEventLog.OpenAsync(registry.SqlitePath!, ct).ConfigureAwait(false),
            RegistryKind.Postgres => await MartenEventLog.OpenAsync(registry.ConnectionString!, new MartenEventLogOptions(), ct).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(registry), registry.Kind, "unknown registry kind"),
        };
    }
}
