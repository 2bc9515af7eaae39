using Microsoft.Data.Sqlite;
using Mesos.EventLog.Port;

namespace Mesos.EventLog.Sqlite;

/// <summary>
/// Snapshots live in the log's own file (table <c>snapshots</c>), so that a copy of the file carries them. They are
/// written on a connection of their own, never the committer's: the payload is encoded before the write lock is
/// taken, and appends wait at most for one row's insert.
/// </summary>
public sealed partial class SqliteEventLog
{
    public ValueTask SaveSnapshotAsync(StoredSnapshot snapshot, int keep, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        ObjectDisposedException.ThrowIf(disposal is not null, this);
        return new ValueTask(Task.Run(() => SaveSnapshot(snapshot, keep), ct));
    }

    public ValueTask<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(disposal is not null, this);
        return new ValueTask<IReadOnlyList<SnapshotInfo>>(Task.Run(ListSnapshots, ct));
    }

    public ValueTask<StoredSnapshot?> ReadSnapshotAsync(long position, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(disposal is not null, this);
        return new ValueTask<StoredSnapshot?>(Task.Run(() => ReadSnapshot(position), ct));
    }

    private void SaveSnapshot(StoredSnapshot snapshot, int keep)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(readerConnectionString)
            {
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT OR REPLACE INTO snapshots (position, format, state_hash, taken_at, payload)
                    VALUES ($position, $format, $hash, $at, $payload);
                    """;
                insert.Parameters.Add("$position", SqliteType.Integer).Value = snapshot.Position;
                insert.Parameters.Add("$format", SqliteType.Integer).Value = snapshot.Format;
                insert.Parameters.Add("$hash", SqliteType.Text).Value = snapshot.StateHash;
                insert.Parameters.Add("$at", SqliteType.Integer).Value = snapshot.TakenAt.UtcTicks - UnixEpochTicks;
                insert.Parameters.Add("$payload", SqliteType.Blob).Value = snapshot.Payload;
                insert.ExecuteNonQuery();
            }

            using (var prune = connection.CreateCommand())
            {
                prune.Transaction = transaction;
                prune.CommandText = "DELETE FROM snapshots WHERE position NOT IN (SELECT position FROM snapshots ORDER BY position DESC LIMIT $keep);";
                prune.Parameters.Add("$keep", SqliteType.Integer).Value = keep;
                prune.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw Describe(Path, e);
        }
    }

    private IReadOnlyList<SnapshotInfo> ListSnapshots()
    {
        var list = new List<SnapshotInfo>();
        try
        {
            using var connection = OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT position, format, state_hash, taken_at, length(payload) FROM snapshots ORDER BY position DESC;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add(new SnapshotInfo(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), At(reader.GetInt64(3)), reader.GetInt64(4)));
            }
        }
        catch (SqliteException e)
        {
            throw Describe(Path, e);
        }

        return list;
    }

    private StoredSnapshot? ReadSnapshot(long position)
    {
        try
        {
            using var connection = OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT position, format, state_hash, taken_at, payload FROM snapshots WHERE position = $position;";
            command.Parameters.Add("$position", SqliteType.Integer).Value = position;
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new StoredSnapshot(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), At(reader.GetInt64(3)), reader.GetFieldValue<byte[]>(4))
                : null;
        }
        catch (SqliteException e)
        {
            throw Describe(Path, e);
        }
    }

    private static DateTimeOffset At(long ticksSinceEpoch) => new(ticksSinceEpoch + UnixEpochTicks, TimeSpan.Zero);
}
