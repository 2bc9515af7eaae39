namespace Mesos.EventLog.Sqlite;

/// <summary>The file cannot be used as an event log: it is missing, not a SQLite database, another application's database, corrupt, or of a newer schema.</summary>
public sealed class EventLogFileException(string path, string problem, Exception? inner = null)
    : Exception($"event log '{path}': {problem}", inner)
{
    public string Path { get; } = path;
}
