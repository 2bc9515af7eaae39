using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Mesos.Core.Events;
using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;
using Mesos.EventLog.Sqlite;
using Npgsql;
using Weasel.Core;

namespace Mesos.EventLog.Marten;

/// <summary>
/// The event log in PostgreSQL through Marten's event store, for several masters sharing one registry.
/// <para>
/// Storage shape: the whole log is ONE Marten stream, and a position is that stream's version. Streams per entity
/// (framework, agent, task) with Marten's global sequence as the position were rejected: the sequence is a
/// PostgreSQL sequence, so rolled-back transactions leave gaps and concurrent transactions commit out of sequence
/// order (readers would need Marten's high-water-mark detection to read safely), while the port promises
/// consecutive positions and a tail that never skips. Per-entity streams would buy parallel writers, but a
/// cluster has exactly one writer (the leader), whose throughput comes from group commit, not parallelism. And
/// fencing needs one number to compare: the version of the one stream, locked with <c>FOR UPDATE</c> in the
/// appending transaction, is that number, so a deposed leader's append at its stale position is refused.
/// </para>
/// <para>
/// Group commit: appends queue; one committer takes everything queued, checks each append in arrival order
/// against the running head, and writes all accepted events in one transaction (one fsync), using Marten's
/// <see cref="EventAppendMode.Quick"/>. Reads bypass Marten and select the stream's rows directly, so a read
/// costs one query per page and errors name the exact position.
/// </para>
/// </summary>
public sealed partial class MartenEventLog : IEventLog, IEventLogStatistics, ISnapshotStore
{
    private readonly NpgsqlDataSource dataSource;
    private readonly DocumentStore store;
    private readonly MartenEventLogOptions options;
    private readonly string where;
    private readonly string selectHead;
    private readonly string selectHeadForUpdate;
    private readonly string selectPage;
    private readonly string channel;
    private readonly Channel<PendingAppend> queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CommitSignal committed = new();
    private readonly CancellationTokenSource disposing = new();
    private readonly Task committer;
    private readonly object listenerGate = new();
    private Task? listener;
    private int disposed;

    private long appends;
    private long conflicts;
    private long commits;
    private long eventsAppended;

    private MartenEventLog(NpgsqlDataSource dataSource, DocumentStore store, MartenEventLogOptions options, string where)
    {
        this.dataSource = dataSource;
        this.store = store;
        this.options = options;
        this.where = where;
        var schema = options.Schema;
        selectHead = $"SELECT COALESCE((SELECT version FROM {schema}.mt_streams WHERE id = $1), 0);";
        selectHeadForUpdate = $"SELECT version FROM {schema}.mt_streams WHERE id = $1 FOR UPDATE;";
        selectPage = $"""
            SELECT version, data->>'type', (data->>'version')::int, data->'payload'
            FROM {schema}.mt_events
            WHERE stream_id = $1 AND version > $2 AND version <= $3
            ORDER BY version
            LIMIT $4;
            """;
        channel = $"mesos_log_{schema}";
        committer = Task.Run(RunCommitterAsync);
    }

    /// <summary>Host, port and database of the registry (never the password).</summary>
    public string Where => where;

    public EventLogStatistics Statistics => new(
        Interlocked.Read(ref appends),
        Interlocked.Read(ref conflicts),
        Interlocked.Read(ref commits),
        Interlocked.Read(ref eventsAppended));

    /// <summary>
    /// Connects to the registry at <paramref name="connectionString"/> (an Npgsql connection string), creates
    /// Marten's tables in <see cref="MartenEventLogOptions.Schema"/> when missing, and opens the log.
    /// </summary>
    /// <exception cref="RegistryException">The database cannot be reached, refuses the login, or the schema cannot be created.</exception>
    public static async Task<MartenEventLog> OpenAsync(string connectionString, MartenEventLogOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReadPageSize, 1);
        if (!SchemaName().IsMatch(options.Schema))
        {
            throw new ArgumentException($"schema '{options.Schema}' is not a plain PostgreSQL identifier (lower-case letters, digits, _)", nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new RegistryException("(connection string)", $"is not a valid PostgreSQL connection string: {e.Message}", e);
        }

        var where = Describe(builder);
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new RegistryException(where, "the connection string names no Host");
        }

        var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        DocumentStore? store = null;
        try
        {
            // Reachability and login first: a plain query gives a clearer error than Marten's schema migration.
            await using (var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false))
            {
                await using var ping = new NpgsqlCommand("SELECT 1;", connection);
                await ping.ExecuteScalarAsync(ct).ConfigureAwait(false);
            }

            store = DocumentStore.For(o =>
            {
                o.Connection(dataSource);
                o.DatabaseSchemaName = options.Schema;
                o.Events.DatabaseSchemaName = options.Schema;
                o.Events.StreamIdentity = StreamIdentity.AsString;
                o.Events.AppendMode = EventAppendMode.Quick;
                o.Events.AddEventType<LoggedEvent>();
                o.UseSystemTextJsonForSerialization(casing: Casing.CamelCase);
                o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            });
            // Masters started together against a new database would otherwise race to create the same tables.
            await using (var migration = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false))
            {
                await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('mesos-schema:' || $1, 0));", migration);
                take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.Schema });
                await take.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().WaitAsync(ct).ConfigureAwait(false);

                // Closing the connection would release the lock too, but a pooled connection is only returned, not closed.
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('mesos-schema:' || $1, 0));", migration);
                release.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.Schema });
                await release.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return new MartenEventLog(dataSource, store, options, where);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            store?.Dispose();
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new RegistryException(where, Reason(e), e);
        }
        catch
        {
            store?.Dispose();
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask<AppendResult> AppendAsync(IReadOnlyList<ClusterEvent> events, long? expectedPosition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("an append needs at least one event", nameof(events));
        }

        if (expectedPosition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedPosition), expectedPosition, "positions start at 0 (the empty log)");
        }

        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<AppendResult>(ct);
        }

        var encoded = new EncodedEvent[events.Count];
        try
        {
            for (var i = 0; i < encoded.Length; i++)
            {
                encoded[i] = EventCodec.Encode(events[i]);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return ValueTask.FromException<AppendResult>(e);
        }

        var pending = new PendingAppend(encoded, expectedPosition);
        pending.ObserveCancellation(ct);
        if (Volatile.Read(ref disposed) != 0 || !queue.Writer.TryWrite(pending))
        {
            pending.Fail(new ObjectDisposedException(nameof(MartenEventLog)));
        }

        return new ValueTask<AppendResult>(pending.Task);
    }

    public async IAsyncEnumerable<RecordedEvent> ReadAsync(long afterPosition, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var upTo = await GetHeadAsync(ct).ConfigureAwait(false);
        var position = afterPosition;
        while (position < upTo)
        {
            var page = await ReadPageAsync(position, upTo, ct).ConfigureAwait(false);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var recorded in page)
            {
                yield return recorded;
            }

            position = page[^1].Position;
        }
    }

    public async IAsyncEnumerable<RecordedEvent> TailAsync(long afterPosition, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        EnsureListening();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, disposing.Token);
        var position = afterPosition;
        while (true)
        {
            // Taken before reading, so a commit (ours, or another master's via NOTIFY) after the read is not missed.
            var nextCommit = committed.Next;
            var page = await ReadPageAsync(position, long.MaxValue, stop.Token).ConfigureAwait(false);
            foreach (var recorded in page)
            {
                yield return recorded;
            }

            if (page.Count > 0)
            {
                position = page[^1].Position;
            }

            if (page.Count == options.ReadPageSize)
            {
                continue;
            }

            try
            {
                await nextCommit.WaitAsync(options.TailPollInterval, stop.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(MartenEventLog), "the event log was disposed while a tail was waiting");
            }
        }
    }

    public async ValueTask<long> GetHeadAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        try
        {
            await using var command = dataSource.CreateCommand(selectHead);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.StreamKey });
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        catch (NpgsqlException e)
        {
            throw new RegistryException(where, Reason(e), e);
        }
    }

    /// <summary>Commits what is already queued, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            await committer.ConfigureAwait(false);
            return;
        }

        queue.Writer.TryComplete();
        await committer.ConfigureAwait(false);
        await disposing.CancelAsync().ConfigureAwait(false);
        Task? listening;
        lock (listenerGate)
        {
            listening = listener;
        }

        if (listening is not null)
        {
            await listening.ConfigureAwait(false);
        }

        store.Dispose();
        await dataSource.DisposeAsync().ConfigureAwait(false);
        disposing.Dispose();
    }

    /// <summary>Writes one stored event as given, bypassing the codec and the position check: for tests that need a log a newer build (or damage) left behind.</summary>
    internal async Task AppendRawAsync(string typeName, int version, string payloadJson, CancellationToken ct)
    {
        using var payload = JsonDocument.Parse(payloadJson);
        await using var session = store.LightweightSession();
        session.Events.Append(options.StreamKey, new LoggedEvent(typeName, version, "raw", payload.RootElement.Clone()));
        await session.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Host, port and database of <paramref name="connectionString"/>, for messages: never the password.</summary>
    public static string DescribeConnection(string connectionString) => Describe(new NpgsqlConnectionStringBuilder(connectionString));

    private static string Describe(NpgsqlConnectionStringBuilder builder) =>
        string.Create(CultureInfo.InvariantCulture, $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? "postgres"}");

    private static string Reason(Exception e) => e switch
    {
        PostgresException pg => $"{pg.MessageText} (SQLSTATE {pg.SqlState})",
        NpgsqlException { InnerException: { } inner } => $"cannot connect: {inner.Message}",
        _ => $"cannot connect: {e.Message}",
    };

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    private async Task RunCommitterAsync()
    {
        var batch = new List<PendingAppend>();
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (queue.Reader.TryRead(out var pending))
            {
                if (pending.TryClaim())
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> claimed)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitOnceAsync(claimed).ConfigureAwait(false);
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < Attempts)
            {
                // Two masters created the stream at once (no row to lock yet): the loser re-reads the head and
                // now conflicts, as it would have had the row existed.
            }
            catch (Exception e)
            {
                Exception failure = e is NpgsqlException ? new RegistryException(where, Reason(e), e) : e;
                foreach (var pending in claimed)
                {
                    pending.Fail(failure);
                }

                return;
            }
        }

        foreach (var pending in claimed)
        {
            pending.Complete();
        }
    }

    private async Task CommitOnceAsync(List<PendingAppend> claimed)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);

        // The fence: the stream's row stays locked until commit, so no other master appends between this check and the write.
        long head;
        await using (var read = new NpgsqlCommand(selectHeadForUpdate, connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.StreamKey });
            head = await read.ExecuteScalarAsync().ConfigureAwait(false) is long version ? version : 0;
        }

        var running = head;
        var accepted = new List<object>();
        long appended = 0;
        long conflicted = 0;
        foreach (var pending in claimed)
        {
            if (pending.ExpectedPosition is { } expected && expected != running)
            {
                pending.Outcome = new AppendResult.Conflict(expected, running);
                conflicted++;
                continue;
            }

            pending.Outcome = new AppendResult.Appended(running + 1, running + pending.Events.Length);
            running += pending.Events.Length;
            appended++;
            foreach (var e in pending.Events)
            {
                using var payload = JsonDocument.Parse(e.Payload);
                accepted.Add(new LoggedEvent(e.TypeName, e.Version, e.Principal, payload.RootElement.Clone()));
            }
        }

        if (accepted.Count > 0)
        {
            await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction)))
            {
                if (head == 0)
                {
                    session.Events.StartStream(options.StreamKey, accepted);
                }
                else
                {
                    session.Events.Append(options.StreamKey, accepted);
                }

                await session.SaveChangesAsync().ConfigureAwait(false);
            }

            // Delivered to listening standbys only if, and when, the transaction commits.
            await using (var notify = new NpgsqlCommand("SELECT pg_notify($1, $2);", connection, transaction))
            {
                notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channel });
                notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = running.ToString(CultureInfo.InvariantCulture) });
                await notify.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }

        Interlocked.Add(ref appends, appended);
        Interlocked.Add(ref conflicts, conflicted);
        Interlocked.Add(ref eventsAppended, accepted.Count);
        if (accepted.Count > 0)
        {
            Interlocked.Increment(ref commits);
            committed.Notify();
        }
    }

    private async Task<List<RecordedEvent>> ReadPageAsync(long after, long upTo, CancellationToken ct)
    {
        var page = new List<RecordedEvent>((int)Math.Min(upTo - after, Math.Min(options.ReadPageSize, 256)));
        try
        {
            await using var command = dataSource.CreateCommand(selectPage);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = options.StreamKey });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upTo });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.ReadPageSize });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var position = reader.GetInt64(0);
                var typeName = reader.GetString(1);
                var version = reader.GetInt32(2);
                var payload = Encoding.UTF8.GetBytes(reader.GetString(3));
                var @event = EventCodec.Decode(position, typeName, version, payload);
                page.Add(new RecordedEvent(position, typeName, version, @event.At, @event));
            }
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            throw new RegistryException(where, Reason(e), e);
        }

        return page;
    }

    private void EnsureListening()
    {
        lock (listenerGate)
        {
            listener ??= Task.Run(ListenAsync);
        }
    }

    /// <summary>Wakes tails when any master commits (NOTIFY from the appending transaction); polling covers a lost connection.</summary>
    private async Task ListenAsync()
    {
        var stop = disposing.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, _) => committed.Notify();
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\";", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                // Anything committed while the listener was down is found by the tails' next read.
                committed.Notify();
                while (true)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                try
                {
                    await Task.Delay(options.TailPollInterval, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
