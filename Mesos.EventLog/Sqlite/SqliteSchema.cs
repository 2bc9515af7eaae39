using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mesos.EventLog.Sqlite;

/// <summary>Creates the log's tables in a new file, and recognises (or refuses) an existing one.</summary>
internal static class SqliteSchema
{
    public const int CurrentVersion = 1;

    /// <summary>Written into the database header ('MESL'), so the file says what it is even to the sqlite3 shell.</summary>
    public const int ApplicationId = 0x4D45534C;

    private const string Create = """
        CREATE TABLE schema_version (
            id      INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE events (
            position  INTEGER PRIMARY KEY, -- the rowid itself: ordered, no second index
            type      TEXT    NOT NULL,
            version   INTEGER NOT NULL,
            at        INTEGER NOT NULL,    -- 100 ns ticks since the Unix epoch, UTC; the payload holds the exact value
            principal TEXT    NOT NULL,
            payload   BLOB    NOT NULL     -- UTF-8 JSON of the whole event record (EventCodec)
        ) STRICT;
        """;

    // Added beside version 1 without a version bump: older builds never look at it, and this one creates it in
    // logs they wrote.
    private const string CreateSnapshots = """
        CREATE TABLE IF NOT EXISTS snapshots (
            position   INTEGER PRIMARY KEY, -- the state after the event at this position
            format     INTEGER NOT NULL,    -- SnapshotCodec.Format of the payload
            state_hash TEXT    NOT NULL,
            taken_at   INTEGER NOT NULL,    -- 100 ns ticks since the Unix epoch, UTC
            payload    BLOB    NOT NULL
        ) STRICT;
        """;

    private static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    /// <summary>Refuses a file that is not a SQLite database before SQLite gets to report it less clearly.</summary>
    public static void CheckFileHeader(string path)
    {
        if (Directory.Exists(path))
        {
            throw new EventLogFileException(path, "is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            return;
        }

        Span<byte> header = stackalloc byte[16];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read > 0 && (read < header.Length || !header.SequenceEqual(SqliteHeader)))
        {
            throw new EventLogFileException(path, "is not a Mesos event log: it is not a SQLite database");
        }
    }

    /// <summary>Reads what the file claims to be, without changing it, so that a foreign database is left untouched.</summary>
    public static void CheckIdentity(SqliteConnection connection, string path)
    {
        var applicationId = Scalar(connection, null, "PRAGMA application_id;");
        var objects = Scalar(connection, null, "SELECT count(*) FROM sqlite_master;");
        if (applicationId == 0 && objects > 0)
        {
            throw new EventLogFileException(path, "is not a Mesos event log: it is a SQLite database with other tables");
        }

        if (applicationId != 0 && applicationId != ApplicationId)
        {
            throw new EventLogFileException(
                path,
                string.Create(CultureInfo.InvariantCulture, $"is not a Mesos event log: it is a SQLite database of another application (application_id 0x{applicationId:X8})"));
        }
    }

    /// <summary>Creates the schema in an empty file, or checks the version of an existing log. Runs in its own write transaction.</summary>
    public static void CreateOrCheck(SqliteConnection connection, string path)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var applicationId = Scalar(connection, transaction, "PRAGMA application_id;");
        if (applicationId == 0)
        {
            Execute(connection, transaction, Create);
            Execute(connection, transaction, CreateSnapshots);
            Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO schema_version (id, version) VALUES (1, {CurrentVersion});"));
            Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId};"));
            transaction.Commit();
            return;
        }

        long version;
        try
        {
            version = Scalar(connection, transaction, "SELECT version FROM schema_version WHERE id = 1;");
        }
        catch (SqliteException e)
        {
            throw new EventLogFileException(path, "is marked as a Mesos event log but has no readable schema version; it is damaged", e);
        }

        if (version != CurrentVersion)
        {
            throw new EventLogFileException(
                path,
                string.Create(CultureInfo.InvariantCulture, $"has event log schema version {version}; this build reads version {CurrentVersion} only"));
        }

        Execute(connection, transaction, CreateSnapshots);
        transaction.Commit();
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
