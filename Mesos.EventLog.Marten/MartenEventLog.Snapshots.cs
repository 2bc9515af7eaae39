using Mesos.EventLog.Port;
using Npgsql;
using NpgsqlTypes;

namespace Mesos.EventLog.Marten;

/// <summary>
/// Snapshots in a plain table beside Marten's (<c>&lt;schema&gt;.mesos_snapshots</c>), keyed by the log's stream
/// and position: a document would make Marten parse and re-serialize a payload that is already encoded, and
/// PostgreSQL keeps a large <c>bytea</c> out of line (TOAST) without that cost. Created on first use, so opening
/// a log does not change.
/// </summary>
public sealed partial class MartenEventLog
{
    private volatile bool snapshotTableReady;

    public async ValueTask SaveSnapshotAsync(StoredSnapshot snapshot, int keep, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        try
        {
            await EnsureSnapshotTableAsync(ct).ConfigureAwait(false);
            await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var upsert = new NpgsqlCommand(
                $"""
                INSERT INTO {options.Schema}.mesos_snapshots (stream, position, format, state_hash, taken_at, payload)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (stream, position) DO UPDATE
                SET format = excluded.format, state_hash = excluded.state_hash, taken_at = excluded.taken_at, payload = excluded.payload;
                """,
                connection,
                transaction))
            {
                upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.StreamKey });
                upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = snapshot.Position });
                upsert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = snapshot.Format });
                upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = snapshot.StateHash });
                upsert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = snapshot.TakenAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                upsert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = snapshot.Payload });
                await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await using (var prune = new NpgsqlCommand(
                $"""
                DELETE FROM {options.Schema}.mesos_snapshots
                WHERE stream = $1 AND position NOT IN (
                    SELECT position FROM {options.Schema}.mesos_snapshots WHERE stream = $1 ORDER BY position DESC LIMIT $2);
                """,
                connection,
                transaction))
            {
                prune.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.StreamKey });
                prune.Parameters.Add(new NpgsqlParameter<int> { TypedValue = keep });
                await prune.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            throw new RegistryException(where, Reason(e), e);
        }
    }

    public async ValueTask<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var list = new List<SnapshotInfo>();
        try
        {
            await EnsureSnapshotTableAsync(ct).ConfigureAwait(false);
            await using var command = dataSource.CreateCommand(
                $"SELECT position, format, state_hash, taken_at, octet_length(payload) FROM {options.Schema}.mesos_snapshots WHERE stream = $1 ORDER BY position DESC;");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.StreamKey });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new SnapshotInfo(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), At(reader.GetDateTime(3)), reader.GetInt32(4)));
            }
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            throw new RegistryException(where, Reason(e), e);
        }

        return list;
    }

    public async ValueTask<StoredSnapshot?> ReadSnapshotAsync(long position, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        try
        {
            await EnsureSnapshotTableAsync(ct).ConfigureAwait(false);
            await using var command = dataSource.CreateCommand(
                $"SELECT position, format, state_hash, taken_at, payload FROM {options.Schema}.mesos_snapshots WHERE stream = $1 AND position = $2;");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.StreamKey });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false)
                ? new StoredSnapshot(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), At(reader.GetDateTime(3)), reader.GetFieldValue<byte[]>(4))
                : null;
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            throw new RegistryException(where, Reason(e), e);
        }
    }

    private static DateTimeOffset At(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private async Task EnsureSnapshotTableAsync(CancellationToken ct)
    {
        if (snapshotTableReady)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            $"""
            CREATE TABLE IF NOT EXISTS {options.Schema}.mesos_snapshots (
                stream     text        NOT NULL,
                position   bigint      NOT NULL,
                format     integer     NOT NULL,
                state_hash text        NOT NULL,
                taken_at   timestamptz NOT NULL,
                payload    bytea       NOT NULL,
                PRIMARY KEY (stream, position)
            );
            """);
        try
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another master created it at the same moment (IF NOT EXISTS does not guard against a concurrent CREATE).
        }

        snapshotTableReady = true;
    }
}
