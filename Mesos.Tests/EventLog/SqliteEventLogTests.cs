using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mesos.Benchmarks;
using Mesos.Core.Events;
using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;
using Mesos.EventLog.Sqlite;

namespace Mesos.Tests.EventLog;

public sealed class SqliteEventLogTests : EventLogContractTests, IDisposable
{
    // Short, so that tests of tails fed by another instance (polling) do not wait long.
    private static readonly SqliteEventLogOptions Options = new() { TailPollInterval = TimeSpan.FromMilliseconds(20) };

    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    protected override async Task<IEventLog> OpenAsync(string name) => await SqliteEventLog.OpenAsync(PathOf(name), Options, Timeout);

    protected override async Task WriteRawEventAsync(string name, string typeName, int version, string payloadJson)
    {
        await (await SqliteEventLog.OpenAsync(PathOf(name), Timeout)).DisposeAsync();
        await using var connection = OpenRaw(PathOf(name));
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO events (position, type, version, at, principal, payload)
            VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM events), $type, $version, 0, 'raw', $payload);
            """;
        command.Parameters.AddWithValue("$type", typeName);
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$payload", System.Text.Encoding.UTF8.GetBytes(payloadJson));
        await command.ExecuteNonQueryAsync(Timeout);
    }

    [Fact]
    public async Task Open_CreatesAWalModeFileMarkedAsAnEventLog()
    {
        await using (var log = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout))
        {
            await log.AppendAsync([Numbered(0)], 0, Timeout);
            Assert.Equal(PathOf("log"), log.Path);
        }

        await using var connection = OpenRaw(PathOf("log"));
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(0x4D45534CL, Scalar(connection, "PRAGMA application_id;"));
        Assert.Equal(1L, Scalar(connection, "SELECT version FROM schema_version;"));
        Assert.Equal("AgentHeartbeatReceived", Scalar(connection, "SELECT type FROM events WHERE position = 1;"));
        Assert.Equal("contract", Scalar(connection, "SELECT principal FROM events WHERE position = 1;"));
        Assert.Equal(Numbered(0).At.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, Scalar(connection, "SELECT at FROM events WHERE position = 1;"));
    }

    [Fact]
    public async Task Open_AFileThatIsNotADatabase_FailsNamingTheFile()
    {
        var path = PathOf("notes");
        await File.WriteAllTextAsync(path, "these are not the events you are looking for\n", Timeout);

        var error = await Assert.ThrowsAsync<EventLogFileException>(() => SqliteEventLog.OpenAsync(path, Timeout));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AnotherApplicationsDatabase_FailsNamingTheFile_AndLeavesItAlone()
    {
        var path = PathOf("crm");
        await using (var connection = OpenRaw(path))
        {
            Scalar(connection, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);");
        }

        var error = await Assert.ThrowsAsync<EventLogFileException>(() => SqliteEventLog.OpenAsync(path, Timeout));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a Mesos event log", error.Message, StringComparison.Ordinal);
        await using var unchanged = OpenRaw(path);
        Assert.Equal("delete", Scalar(unchanged, "PRAGMA journal_mode;"));
        Assert.Equal(1L, Scalar(unchanged, "SELECT count(*) FROM sqlite_master;"));
    }

    [Fact]
    public async Task Open_ALogOfANewerSchemaVersion_FailsNamingTheVersion()
    {
        var path = PathOf("log");
        await (await SqliteEventLog.OpenAsync(path, Timeout)).DisposeAsync();
        await using (var connection = OpenRaw(path))
        {
            Scalar(connection, "UPDATE schema_version SET version = 2;");
        }

        var error = await Assert.ThrowsAsync<EventLogFileException>(() => SqliteEventLog.OpenAsync(path, Timeout));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ACorruptLog_FailsNamingTheFile()
    {
        var path = PathOf("log");
        await using (var log = await SqliteEventLog.OpenAsync(path, Timeout))
        {
            await log.AppendAsync(NumberedRange(0, 500), 0, Timeout);
        }

        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            // Page one after the 100-byte header: the schema's root page.
            file.Position = 100;
            await file.WriteAsync(Enumerable.Repeat((byte)0xA5, 3000).ToArray(), Timeout);
        }

        var error = await Assert.ThrowsAsync<EventLogFileException>(async () =>
        {
            await using var log = await SqliteEventLog.OpenAsync(path, Timeout);
            await ReadAllAsync(log);
        });

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_InADirectoryThatDoesNotExist_FailsNamingTheFile()
    {
        var path = Path.Combine(directory.Path, "missing", "registry.db");

        var error = await Assert.ThrowsAsync<EventLogFileException>(() => SqliteEventLog.OpenAsync(path, Timeout));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ALargePageWithTwoBadEvents_ReportsTheFirst()
    {
        await using (var log = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout))
        {
            await log.AppendAsync(NumberedRange(0, 2000), 0, Timeout);
        }

        await WriteRawEventAsync("log", "FrameworkTeleported", 1, "{}");
        await using (var log = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout))
        {
            await log.AppendAsync(NumberedRange(2001, 1000), 2001, Timeout);
        }

        await WriteRawEventAsync("log", "AgentHeartbeatReceived", 1, "{}");
        await using var reopened = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout);

        var error = await Assert.ThrowsAsync<UnknownEventTypeException>(() => ReadAllAsync(reopened));
        Assert.Equal(2001, error.Position);
        Assert.Equal(3002, await reopened.GetHeadAsync(Timeout));
        var later = await Assert.ThrowsAsync<EventPayloadException>(() => ReadAllAsync(reopened, afterPosition: 2001));
        Assert.Equal(3002, later.Position);
    }

    [Fact]
    public async Task Tail_SeesEventsCommittedThroughAnotherConnectionToTheFile()
    {
        await using var writer = await SqliteEventLog.OpenAsync(PathOf("log"), Options, Timeout);
        await using var reader = await SqliteEventLog.OpenAsync(PathOf("log"), Options, Timeout);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var tail = reader.TailAsync(0, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = tail.MoveNextAsync().AsTask();

        await writer.AppendAsync(NumberedRange(0, 2), 0, Timeout);

        Assert.True(await next);
        Assert.Equal(Numbered(0), tail.Current.Event);
        Assert.True(await tail.MoveNextAsync());
        Assert.Equal(Numbered(1), tail.Current.Event);
    }

    [Fact]
    public async Task Append_ByASecondWriterOfTheSameFile_AtAStalePosition_Conflicts()
    {
        await using var leader = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout);
        await using var deposed = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout);
        await deposed.AppendAsync(NumberedRange(0, 2), 0, Timeout);

        Assert.Equal(new AppendResult.Appended(3, 4), await leader.AppendAsync(NumberedRange(2, 2), 2, Timeout));
        Assert.Equal(new AppendResult.Conflict(2, 4), await deposed.AppendAsync(NumberedRange(2, 2), 2, Timeout));
        Assert.Equal(NumberedRange(0, 4), (await ReadAllAsync(deposed)).Select(r => r.Event));
    }

    [Fact]
    public async Task Dispose_CommitsTheAppendsAlreadyQueued()
    {
        var log = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout);
        var appends = Enumerable.Range(0, 50).Select(i => log.AppendAsync([Numbered(i)], null, Timeout).AsTask()).ToList();

        await log.DisposeAsync();

        Assert.All(await Task.WhenAll(appends), r => Assert.IsType<AppendResult.Appended>(r));
        await using var reopened = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout);
        Assert.Equal(50, await reopened.GetHeadAsync(Timeout));
    }

    [Fact]
    public async Task Append_AfterDispose_ThrowsObjectDisposed()
    {
        var log = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout);
        await log.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await log.AppendAsync([Numbered(0)], 0, Timeout));
    }

    [Fact]
    public async Task Append_WithACancelledToken_WritesNothing()
    {
        await using var log = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await log.AppendAsync([Numbered(0)], 0, new CancellationToken(canceled: true)));

        Assert.Equal(0, await log.GetHeadAsync(Timeout));
    }

    [Fact]
    public async Task Statistics_CountAppendsConflictsCommitsAndEvents()
    {
        await using var log = await SqliteEventLog.OpenAsync(PathOf("log"), Timeout);

        await log.AppendAsync(NumberedRange(0, 3), 0, Timeout);
        await log.AppendAsync(NumberedRange(3, 2), 0, Timeout);
        await log.AppendAsync(NumberedRange(3, 2), 3, Timeout);

        Assert.Equal(new EventLogStatistics(Appends: 2, Conflicts: 1, Commits: 2, EventsAppended: 5), log.Statistics);
    }

    [Fact]
    public async Task Crash_KilledWhileAppending_LeavesEveryBatchWhollyPresentOrAbsent()
    {
        var path = PathOf("crash");
        var acknowledged = new HashSet<long>();
        for (var round = 0; round < 3; round++)
        {
            acknowledged.UnionWith(await RunCrashWriterUntilKilledAsync(path, firstBatch: round * 1_000_000L, acknowledgedBeforeKill: 20 + (15 * round)));

            await using var log = await SqliteEventLog.OpenAsync(path, Timeout);
            var events = await ReadAllAsync(log);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(p => (long)p), events.Select(e => e.Position));

            var batches = events.Select(e => (e.Position, Tag: ParseTag(e.Event))).GroupBy(e => e.Tag.Batch).ToList();
            foreach (var batch in batches)
            {
                var size = EventLogCrashWriter.BatchSize(batch.Key);
                Assert.Equal(Enumerable.Range(0, size), batch.Select(e => e.Tag.Index));
                Assert.All(batch, e => Assert.Equal(size, e.Tag.Size));
                Assert.Equal(size - 1, batch.Last().Position - batch.First().Position);
            }

            Assert.Subset(batches.Select(b => b.Key).ToHashSet(), acknowledged);
        }

        await using var survivor = await SqliteEventLog.OpenAsync(path, Timeout);
        var head = await survivor.GetHeadAsync(Timeout);
        Assert.Equal(new AppendResult.Appended(head + 1, head + 1), await survivor.AppendAsync([Numbered(0)], head, Timeout));
    }

    private static (long Batch, int Index, int Size) ParseTag(ClusterEvent @event)
    {
        var tag = Assert.IsType<AgentHeartbeatReceived>(@event).AgentId.Value;
        var colon = tag.IndexOf(':', StringComparison.Ordinal);
        var slash = tag.IndexOf('/', StringComparison.Ordinal);
        return (
            long.Parse(tag[..colon], CultureInfo.InvariantCulture),
            int.Parse(tag[(colon + 1)..slash], CultureInfo.InvariantCulture),
            int.Parse(tag[(slash + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Runs <see cref="EventLogCrashWriter"/> in a child process until it has reported enough durable batches,
    /// lets it run a little further into its next batches, then SIGKILLs it. Returns the batches it reported.
    /// </summary>
    private async Task<IReadOnlyCollection<long>> RunCrashWriterUntilKilledAsync(string path, long firstBatch, int acknowledgedBeforeKill)
    {
        // The writer lives in Mesos.Benchmarks.dll, which is copied beside the tests.
        var start = SiblingProcess.StartInfo(
            typeof(EventLogCrashWriter).Assembly.Location,
            ["eventlog", "crash-writer", path, firstBatch.ToString(CultureInfo.InvariantCulture)]);

        var acknowledged = new ConcurrentQueue<long>();
        var errors = new ConcurrentQueue<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Split(' ') is ["committed", var batch, _, _])
            {
                acknowledged.Enqueue(long.Parse(batch, CultureInfo.InvariantCulture));
                if (acknowledged.Count >= acknowledgedBeforeKill)
                {
                    enough.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                errors.Enqueue(line.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync(Timeout);
        var first = await Task.WhenAny(enough.Task, exited, Task.Delay(TimeSpan.FromSeconds(60), Timeout));
        if (first != enough.Task)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            Assert.Fail($"the crash writer stopped or stalled after {acknowledged.Count} batches: {string.Join('\n', errors)}");
        }

        // A few milliseconds more, so that the kill lands at a different point of a batch each round.
        await Task.Delay(Random.Shared.Next(1, 25), Timeout);
        process.Kill();
        await process.WaitForExitAsync(Timeout);
        Assert.Equal(128 + 9, process.ExitCode);
        return acknowledged.ToArray();
    }

    private static SqliteConnection OpenRaw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private string PathOf(string name) => directory.File(name + ".db");
}
