using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Mesos.Core.Events;
using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;
using SQLitePCL;

namespace Mesos.EventLog.Sqlite;

/// <summary>
/// The embedded event log: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so an append is on disk when
/// it returns. One committer thread owns the write connection and commits in groups: appends that arrive while a
/// commit is in flight share the next transaction, each still atomic on its own and checked in arrival order
/// against the running head. Readers and tails use their own connections and never wait for the writer.
/// </summary>
public sealed partial class SqliteEventLog : IEventLog, IEventLogStatistics, ISnapshotStore
{
    private const string SelectHead = "SELECT COALESCE(MAX(position), 0) FROM events;";

    private const string SelectPage = """
        SELECT position, type, version, payload FROM events
        WHERE position > $after AND position <= $upTo
        ORDER BY position
        LIMIT $limit;
        """;

    private const string InsertEvent = """
        INSERT INTO events (position, type, version, at, principal, payload)
        VALUES ($position, $type, $version, $at, $principal, $payload);
        """;

    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    private readonly SqliteEventLogOptions options;
    private readonly string readerConnectionString;
    private readonly SqliteConnection writer;
    private readonly SqliteCommand insert;
    private readonly SqliteParameter insertPosition;
    private readonly SqliteParameter insertType;
    private readonly SqliteParameter insertVersion;
    private readonly SqliteParameter insertAt;
    private readonly SqliteParameter insertPrincipal;
    private readonly SqliteParameter insertPayload;
    private readonly SqliteCommand readHead;
    private readonly CommitSignal committed = new();
    private readonly CancellationTokenSource disposing = new();
    private readonly TaskCompletionSource committerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guards queue and closing; the committer sleeps on it (Monitor.Wait) while nothing is queued.
    private readonly object gate = new();
    private readonly List<PendingAppend> claimed = [];
    private List<PendingAppend> queue = [];
    private bool closing;
    private Task? disposal;

    private long appends;
    private long conflicts;
    private long commits;
    private long eventsAppended;

    private SqliteEventLog(string path, SqliteEventLogOptions options, SqliteConnection writer, string readerConnectionString)
    {
        Path = path;
        this.options = options;
        this.writer = writer;
        this.readerConnectionString = readerConnectionString;

        insert = writer.CreateCommand();
        insert.CommandText = InsertEvent;
        insertPosition = insert.Parameters.Add("$position", SqliteType.Integer);
        insertType = insert.Parameters.Add("$type", SqliteType.Text);
        insertVersion = insert.Parameters.Add("$version", SqliteType.Integer);
        insertAt = insert.Parameters.Add("$at", SqliteType.Integer);
        insertPrincipal = insert.Parameters.Add("$principal", SqliteType.Text);
        insertPayload = insert.Parameters.Add("$payload", SqliteType.Blob);

        readHead = writer.CreateCommand();
        readHead.CommandText = SelectHead;

        // A thread of its own: commits block on fsync, which should not hold a thread-pool thread.
        new Thread(RunCommitter) { IsBackground = true, Name = "eventlog-committer" }.Start();
    }

    /// <summary>The full path of the log's file.</summary>
    public string Path { get; }

    public EventLogStatistics Statistics => new(
        Interlocked.Read(ref appends),
        Interlocked.Read(ref conflicts),
        Interlocked.Read(ref commits),
        Interlocked.Read(ref eventsAppended));

    /// <summary>Opens the log in <paramref name="path"/>, creating the file if it does not exist.</summary>
    public static Task<SqliteEventLog> OpenAsync(string path, CancellationToken ct) =>
        OpenAsync(path, SqliteEventLogOptions.Default, ct);

    /// <inheritdoc cref="OpenAsync(string, CancellationToken)"/>
    /// <exception cref="EventLogFileException">The file is not an event log, is damaged, or cannot be opened.</exception>
    public static Task<SqliteEventLog> OpenAsync(string path, SqliteEventLogOptions options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReadPageSize, 1);
        var fullPath = System.IO.Path.GetFullPath(path);
        return Task.Run(() => Open(fullPath, options), ct);
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

        // Encoded on the caller's thread: appenders encode in parallel, and an event that cannot be encoded fails
        // its own append only, before anything reaches the shared transaction.
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
        lock (gate)
        {
            if (closing)
            {
                pending.Fail(new ObjectDisposedException(nameof(SqliteEventLog)));
            }
            else
            {
                queue.Add(pending);
                Monitor.Pulse(gate);
            }
        }

        return new ValueTask<AppendResult>(pending.Task);
    }

    public async IAsyncEnumerable<RecordedEvent> ReadAsync(long afterPosition, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ObjectDisposedException.ThrowIf(disposal is not null, this);
        var upTo = ReadHead();
        var position = afterPosition;
        while (position < upTo)
        {
            ct.ThrowIfCancellationRequested();
            var page = ReadPage(position, upTo);
            if (page.Length == 0)
            {
                yield break;
            }

            foreach (var recorded in page)
            {
                yield return recorded;
            }

            position = page[^1].Position;

            // Reads are synchronous in SQLite; give the caller's thread back between pages of a long replay.
            await Task.Yield();
        }
    }

    public async IAsyncEnumerable<RecordedEvent> TailAsync(long afterPosition, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ObjectDisposedException.ThrowIf(disposal is not null, this);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, disposing.Token);
        var position = afterPosition;
        while (true)
        {
            // Taken before reading: a commit that lands after the read completes this task and the wait falls through.
            var nextCommit = committed.Next;
            var page = ReadPage(position, long.MaxValue);
            foreach (var recorded in page)
            {
                yield return recorded;
            }

            if (page.Length > 0)
            {
                position = page[^1].Position;
            }

            if (page.Length == options.ReadPageSize)
            {
                continue;
            }

            try
            {
                // Commits of this instance wake the tail at once; another process's commits are found by polling.
                await nextCommit.WaitAsync(options.TailPollInterval, stop.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(SqliteEventLog), "the event log was disposed while a tail was waiting");
            }
        }
    }

    public ValueTask<long> GetHeadAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(disposal is not null, this);
        return ct.IsCancellationRequested ? ValueTask.FromCanceled<long>(ct) : ValueTask.FromResult(ReadHead());
    }

    /// <summary>Commits what is already queued, then closes the file. Appends after this throw <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        lock (gate)
        {
            disposal ??= DisposeCoreAsync();
        }

        return new ValueTask(disposal);
    }

    private async Task DisposeCoreAsync()
    {
        lock (gate)
        {
            closing = true;
            Monitor.PulseAll(gate);
        }

        await committerStopped.Task.ConfigureAwait(false);
        await disposing.CancelAsync().ConfigureAwait(false);
        insert.Dispose();
        readHead.Dispose();
        writer.Dispose();

        // Pooled read connections would otherwise keep the file open after the log is gone.
        using var pooled = new SqliteConnection(readerConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private static SqliteEventLog Open(string path, SqliteEventLogOptions options)
    {
        SqliteSchema.CheckFileHeader(path);
        var writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString();
        var readerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();

        var writer = new SqliteConnection(writerConnectionString);
        try
        {
            writer.Open();
            SqliteSchema.CheckIdentity(writer, path);
            using (var pragma = writer.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = WAL;";
                var mode = pragma.ExecuteScalar() as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new EventLogFileException(path, $"cannot be switched to WAL mode (journal_mode is '{mode}'); is it on a file system without shared memory?");
                }

                // In WAL mode, FULL syncs the WAL on every commit: an append that returned survives a power cut.
                pragma.CommandText = "PRAGMA synchronous = FULL;";
                pragma.ExecuteNonQuery();
            }

            SqliteSchema.CreateOrCheck(writer, path);
            return new SqliteEventLog(path, options, writer, readerConnectionString);
        }
        catch (SqliteException e)
        {
            writer.Dispose();
            throw Describe(path, e);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    private static EventLogFileException Describe(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        raw.SQLITE_NOTADB => new EventLogFileException(path, "is not a Mesos event log: it is not a SQLite database", e),
        raw.SQLITE_CORRUPT => new EventLogFileException(path, $"is corrupt ({e.Message})", e),
        raw.SQLITE_CANTOPEN => new EventLogFileException(path, $"cannot be opened; does its directory exist and may this user write there? ({e.Message})", e),
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED => new EventLogFileException(path, $"is locked by another process ({e.Message})", e),
        _ => new EventLogFileException(path, e.Message, e),
    };

    private void RunCommitter()
    {
        var group = new List<PendingAppend>();
        try
        {
            while (true)
            {
                lock (gate)
                {
                    while (queue.Count == 0 && !closing)
                    {
                        Monitor.Wait(gate);
                    }

                    if (queue.Count == 0)
                    {
                        return;
                    }

                    // Everything that queued up while the previous commit was in flight becomes this group.
                    (group, queue) = (queue, group);
                }

                CommitGroup(group);
                group.Clear();
            }
        }
        finally
        {
            committerStopped.TrySetResult();
        }
    }

    private void CommitGroup(List<PendingAppend> group)
    {
        claimed.Clear();
        foreach (var pending in group)
        {
            if (pending.TryClaim())
            {
                claimed.Add(pending);
            }
        }

        if (claimed.Count == 0)
        {
            return;
        }

        long written = 0;
        long appended = 0;
        long conflicted = 0;
        try
        {
            // BEGIN IMMEDIATE: the head read below cannot move before COMMIT, even if another process shares the file.
            using var transaction = writer.BeginTransaction(deferred: false);
            readHead.Transaction = transaction;
            insert.Transaction = transaction;
            var head = (long)readHead.ExecuteScalar()!;
            foreach (var pending in claimed)
            {
                if (pending.ExpectedPosition is { } expected && expected != head)
                {
                    pending.Outcome = new AppendResult.Conflict(expected, head);
                    conflicted++;
                    continue;
                }

                var first = head + 1;
                foreach (var encoded in pending.Events)
                {
                    head++;
                    insertPosition.Value = head;
                    insertType.Value = encoded.TypeName;
                    insertVersion.Value = encoded.Version;
                    insertAt.Value = encoded.At.UtcTicks - UnixEpochTicks;
                    insertPrincipal.Value = encoded.Principal;
                    insertPayload.Value = encoded.Payload;
                    insert.ExecuteNonQuery();
                }

                pending.Outcome = new AppendResult.Appended(first, head);
                written += pending.Events.Length;
                appended++;
            }

            if (written > 0)
            {
                transaction.Commit();
            }
        }
        catch (Exception e)
        {
            // Nothing of the group is committed (the transaction rolled back), so every caller in it learns of it.
            Exception failure = e is SqliteException sqlite ? Describe(Path, sqlite) : e;
            foreach (var pending in claimed)
            {
                pending.Fail(failure);
            }

            return;
        }
        finally
        {
            readHead.Transaction = null;
            insert.Transaction = null;
        }

        Interlocked.Add(ref appends, appended);
        Interlocked.Add(ref conflicts, conflicted);
        Interlocked.Add(ref eventsAppended, written);
        if (written > 0)
        {
            Interlocked.Increment(ref commits);
            committed.Notify();
        }

        foreach (var pending in claimed)
        {
            pending.Complete();
        }
    }

    private long ReadHead()
    {
        try
        {
            using var connection = OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = SelectHead;
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException e)
        {
            throw Describe(Path, e);
        }
    }

    /// <summary>Reads and decodes up to a page of events after <paramref name="after"/>; the connection is back in the pool before any is yielded.</summary>
    private RecordedEvent[] ReadPage(long after, long upTo)
    {
        // Tails mostly find a handful of events, or none, per poll: do not size for a full page up front.
        var page = new List<RecordedEvent>((int)Math.Min(upTo - after, Math.Min(options.ReadPageSize, 256)));
        try
        {
            using var connection = OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = SelectPage;
            command.Parameters.Add("$after", SqliteType.Integer).Value = after;
            command.Parameters.Add("$upTo", SqliteType.Integer).Value = upTo;
            command.Parameters.Add("$limit", SqliteType.Integer).Value = options.ReadPageSize;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var position = reader.GetInt64(0);
                var typeName = reader.GetString(1);
                var version = reader.GetInt32(2);

                // Not GetBytes or GetStream: with the rowid in the row they open an incremental-blob handle per call,
                // which made replay five times slower than this one copy.
                var payload = reader.GetFieldValue<byte[]>(3);
                var @event = EventCodec.Decode(position, typeName, version, payload);
                page.Add(new RecordedEvent(position, typeName, version, @event.At, @event));
            }
        }
        catch (SqliteException e)
        {
            throw Describe(Path, e);
        }

        return [.. page];
    }

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(readerConnectionString);
        connection.Open();
        return connection;
    }
}
