namespace Mesos.Master.Registry;

/// <summary>Where the master's event log lives (<c>--registry</c>).</summary>
public enum RegistryKind
{
    /// <summary>The embedded SQLite file under <c>--work_dir</c> (also accepted as Mesos' <c>replicated_log</c>).</summary>
    Sqlite,

    /// <summary>PostgreSQL through Marten at <c>--registry_url</c>; several masters may share it.</summary>
    Postgres,
}
