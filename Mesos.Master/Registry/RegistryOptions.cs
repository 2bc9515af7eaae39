using Mesos.EventLog.Marten;
using Mesos.Hosting.Flags;

namespace Mesos.Master.Registry;

/// <summary>The registry a master (or the <c>mesos log</c> tool) opens: the SQLite file, or a PostgreSQL connection string.</summary>
public sealed record RegistryOptions(RegistryKind Kind, string? SqlitePath, string? ConnectionString)
{
    public static RegistryOptions Sqlite(string path) => new(RegistryKind.Sqlite, Path.GetFullPath(path), null);

    public static RegistryOptions Postgres(string connectionString) => new(RegistryKind.Postgres, null, connectionString);

    /// <summary>
    /// From <c>--registry</c> and <c>--registry_url</c>. <c>replicated_log</c> (Mesos' default, its durable log) means
    /// the embedded SQLite log, so Mesos configurations keep working; Mesos' <c>in_memory</c> is refused, since a
    /// master that forgets its log on restart is what this design exists to avoid.
    /// </summary>
    public static RegistryOptions FromFlags(string? registry, string? registryUrl, string sqlitePath)
    {
        switch (registry)
        {
            case null or "sqlite" or "replicated_log":
                if (registryUrl is not null)
                {
                    throw new FlagError("Flag '--registry_url' needs --registry=postgres (the sqlite registry lives under --work_dir)");
                }

                return Sqlite(sqlitePath);
            case "postgres":
                if (registryUrl is null)
                {
                    throw new FlagError("Flag '--registry=postgres' needs --registry_url (or MESOS_REGISTRY_URL): a PostgreSQL connection string");
                }

                try
                {
                    return Postgres(RegistryUrl.ToConnectionString(registryUrl));
                }
                catch (FormatException e)
                {
                    throw new FlagError($"Flag '--registry_url': {e.Message}");
                }

            case "in_memory":
                throw new FlagError("Flag '--registry': 'in_memory' is not supported: the log must be durable; use sqlite or postgres");
            default:
                throw new FlagError($"Flag '--registry': '{registry}' is not supported; use sqlite (or replicated_log) or postgres");
        }
    }

    /// <summary>Where the log is, for messages: the file, or host, port and database (never the password).</summary>
    public string Describe() => Kind switch
    {
        RegistryKind.Sqlite => SqlitePath!,
        _ => MartenEventLog.DescribeConnection(ConnectionString!),
    };
}
