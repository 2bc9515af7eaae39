namespace Mesos.EventLog.Marten;

/// <summary>The PostgreSQL registry cannot be used: unreachable, refused the login, or holds something that is not a Mesos log.</summary>
public sealed class RegistryException(string where, string problem, Exception? inner = null)
    : Exception($"registry {where}: {problem}", inner)
{
    /// <summary>Host, port and database, never the password.</summary>
    public string Where { get; } = where;
}
