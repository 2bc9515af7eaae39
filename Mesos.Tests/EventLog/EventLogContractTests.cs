using System.Collections.Concurrent;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;

namespace Mesos.Tests.EventLog;

/// <summary>
/// What every <see cref="IEventLog"/> adapter must do. An adapter's test class derives from this one and says how
/// to open a log by name in storage private to the test; every test here then runs against that adapter.
/// </summary>
public abstract class EventLogContractTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ResourceSet OfferedResources = ResourceSet.Parse("cpus:4;mem:8192;ports:[31000-31099]");

    // One per test (xunit makes an instance per test): fails a test that waits too long instead of hanging the run.
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(90));

    protected CancellationToken Timeout => timeout.Token;

    /// <summary>Opens the log called <paramref name="name"/>, creating it when new; opening it again after disposing it must show the same log.</summary>
    protected abstract Task<IEventLog> OpenAsync(string name);

    /// <summary>
    /// Writes one event at the head of the log <paramref name="name"/> straight into storage, bypassing the codec,
    /// as a newer master or a damaged file would have left it. The log is not open while this runs.
    /// </summary>
    protected abstract Task WriteRawEventAsync(string name, string typeName, int version, string payloadJson);

    /// <summary>Distinct events of several types; <paramref name="n"/> is readable back from each.</summary>
    protected static ClusterEvent Numbered(int n) => (n % 3) switch
    {
        0 => new AgentHeartbeatReceived(new AgentId($"agent-{n}")) { At = Epoch.AddTicks(n), Principal = "contract" },
        1 => new OfferMade(new OfferId($"offer-{n}"), new FrameworkId("framework-1"), new AgentId($"agent-{n}"), "web", OfferedResources)
        {
            At = Epoch.AddTicks(n),
            Principal = "contract",
        },
        _ => new OfferRescinded(new OfferId($"offer-{n}"), $"rescinded {n}") { At = Epoch.AddTicks(n), Principal = "contract" },
    };

    protected internal static ClusterEvent[] NumberedRange(int first, int count) => [.. Enumerable.Range(first, count).Select(Numbered)];

    protected async Task<List<RecordedEvent>> ReadAllAsync(IEventLog log, long afterPosition = 0)
    {
        var events = new List<RecordedEvent>();
        await foreach (var recorded in log.ReadAsync(afterPosition, Timeout))
        {
            events.Add(recorded);
        }

        return events;
    }

    [Fact]
    public async Task NewLog_IsEmpty()
    {
        await using var log = await OpenAsync("log");

        Assert.Equal(0, await log.GetHeadAsync(Timeout));
        Assert.Empty(await ReadAllAsync(log));
    }

    [Fact]
    public async Task Append_PositionsStartAtOneAndAreConsecutive()
    {
        await using var log = await OpenAsync("log");

        var first = await log.AppendAsync(NumberedRange(0, 3), 0, Timeout);
        var second = await log.AppendAsync(NumberedRange(3, 2), 3, Timeout);
        var third = await log.AppendAsync([Numbered(5)], null, Timeout);

        Assert.Equal(new AppendResult.Appended(1, 3), first);
        Assert.Equal(new AppendResult.Appended(4, 5), second);
        Assert.Equal(new AppendResult.Appended(6, 6), third);
        Assert.Equal(6, await log.GetHeadAsync(Timeout));
    }

    [Fact]
    public async Task Read_ReturnsEveryEventInOrder_AsItWasAppended()
    {
        await using var log = await OpenAsync("log");
        var appended = NumberedRange(0, 10);
        await log.AppendAsync(appended[..4], 0, Timeout);
        await log.AppendAsync(appended[4..], 4, Timeout);

        var read = await ReadAllAsync(log);

        Assert.Equal(Enumerable.Range(1, 10).Select(p => (long)p), read.Select(r => r.Position));
        Assert.Equal(appended, read.Select(r => r.Event));
        Assert.All(read, r => Assert.Equal(EventCatalogue.For(r.Event).Name, r.TypeName));
        Assert.All(read, r => Assert.Equal(EventCatalogue.For(r.Event).Version, r.Version));
        Assert.All(read, r => Assert.Equal(r.Event.At, r.At));
    }

    [Fact]
    public async Task Read_FromTheMiddle_ReturnsOnlyLaterEvents()
    {
        await using var log = await OpenAsync("log");
        var appended = NumberedRange(0, 10);
        await log.AppendAsync(appended, 0, Timeout);

        var read = await ReadAllAsync(log, afterPosition: 6);

        Assert.Equal([7L, 8L, 9L, 10L], read.Select(r => r.Position));
        Assert.Equal(appended[6..], read.Select(r => r.Event));
        Assert.Empty(await ReadAllAsync(log, afterPosition: 10));
        Assert.Empty(await ReadAllAsync(log, afterPosition: 99));
    }

    [Fact]
    public async Task Read_StopsAtTheHeadAsItWasWhenReadingStarted()
    {
        await using var log = await OpenAsync("log");
        await log.AppendAsync(NumberedRange(0, 3), 0, Timeout);

        var read = new List<long>();
        await using (var reader = log.ReadAsync(0, Timeout).GetAsyncEnumerator())
        {
            Assert.True(await reader.MoveNextAsync());
            read.Add(reader.Current.Position);
            await log.AppendAsync(NumberedRange(3, 2), 3, Timeout);
            while (await reader.MoveNextAsync())
            {
                read.Add(reader.Current.Position);
            }
        }

        Assert.Equal([1L, 2L, 3L], read);
    }

    [Fact]
    public async Task Append_AtAStaleExpectedPosition_ReturnsConflictAndWritesNothing()
    {
        await using var log = await OpenAsync("log");
        await log.AppendAsync(NumberedRange(0, 3), 0, Timeout);

        var stale = await log.AppendAsync(NumberedRange(3, 2), 1, Timeout);
        var ahead = await log.AppendAsync(NumberedRange(3, 2), 7, Timeout);
        var empty = await log.AppendAsync(NumberedRange(3, 2), 0, Timeout);

        Assert.Equal(new AppendResult.Conflict(1, 3), stale);
        Assert.Equal(new AppendResult.Conflict(7, 3), ahead);
        Assert.Equal(new AppendResult.Conflict(0, 3), empty);
        Assert.Equal(3, await log.GetHeadAsync(Timeout));
        Assert.Equal(NumberedRange(0, 3), (await ReadAllAsync(log)).Select(r => r.Event));
    }

    [Fact]
    public async Task Append_ABatchWithAnEventThatCannotBeStored_WritesNoneOfIt()
    {
        await using var log = await OpenAsync("log");
        await log.AppendAsync([Numbered(0)], 0, Timeout);
        ClusterEvent[] batch = [Numbered(1), Numbered(2), new NotCataloguedEvent("poison") { At = Epoch, Principal = "contract" }, Numbered(3)];

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await log.AppendAsync(batch, 1, Timeout));

        Assert.Equal(1, await log.GetHeadAsync(Timeout));
        Assert.Equal(new AppendResult.Appended(2, 3), await log.AppendAsync(NumberedRange(1, 2), 1, Timeout));
        Assert.Equal(NumberedRange(0, 3), (await ReadAllAsync(log)).Select(r => r.Event));
    }

    [Fact]
    public async Task Append_AnEmptyBatch_IsRefused()
    {
        await using var log = await OpenAsync("log");

        await Assert.ThrowsAsync<ArgumentException>(async () => await log.AppendAsync([], 0, Timeout));
    }

    [Fact]
    public async Task ConcurrentAppendsAtTheSameExpectedPosition_ExactlyOneWins_AndUncheckedAppendsStillCommit()
    {
        await using var log = await OpenAsync("log");
        await log.AppendAsync(NumberedRange(0, 2), 0, Timeout);

        var contenders = Enumerable.Range(0, 8).Select(i => log.AppendAsync(NumberedRange(100 + (10 * i), 3), 2, Timeout).AsTask()).ToList();
        var uncheckedAppends = Enumerable.Range(0, 4).Select(i => log.AppendAsync([Numbered(200 + i)], null, Timeout).AsTask()).ToList();
        var results = await Task.WhenAll(contenders);
        var uncheckedResults = await Task.WhenAll(uncheckedAppends);

        var winner = Assert.Single(results.OfType<AppendResult.Appended>());
        Assert.Equal(3, winner.Count);
        Assert.All(results.OfType<AppendResult.Conflict>(), c => Assert.Equal(2, c.Expected));
        Assert.Equal(7, results.OfType<AppendResult.Conflict>().Count());
        Assert.All(uncheckedResults, r => Assert.IsType<AppendResult.Appended>(r));
        Assert.Equal(2 + 3 + 4, await log.GetHeadAsync(Timeout));
        Assert.Equal(Enumerable.Range(1, 9).Select(p => (long)p), (await ReadAllAsync(log)).Select(r => r.Position));
    }

    [Fact]
    public async Task SixteenConcurrentAppenders_AllSucceed_WithoutGaps_AndShareCommits()
    {
        const int Appenders = 16;
        const int AppendsEach = 25;
        await using var log = await OpenAsync("log");
        var statistics = Assert.IsAssignableFrom<IEventLogStatistics>(log);
        var before = statistics.Statistics;
        var ranges = new ConcurrentBag<(int Appender, int Append, AppendResult.Appended Range)>();

        // Every appender enqueues its first append before any awaits, so the first commit is in flight while
        // fifteen appends wait behind it; from then on each commit's fsync lets the next group gather.
        var appenders = Enumerable.Range(0, Appenders).Select(async appender =>
        {
            for (var append = 0; append < AppendsEach; append++)
            {
                var size = 1 + ((appender + append) % 3);
                var result = await log.AppendAsync(NumberedRange((appender * 1000) + (append * 10), size), null, Timeout);
                ranges.Add((appender, append, Assert.IsType<AppendResult.Appended>(result)));
            }
        }).ToList();
        await Task.WhenAll(appenders);

        var after = statistics.Statistics;
        var totalEvents = ranges.Sum(r => r.Range.Count);
        var positions = ranges.SelectMany(r => Enumerable.Range((int)r.Range.FirstPosition, r.Range.Count)).Order();
        Assert.Equal(Enumerable.Range(1, totalEvents), positions);
        Assert.Equal(totalEvents, await log.GetHeadAsync(Timeout));
        Assert.Equal(Appenders * AppendsEach, after.Appends - before.Appends);
        Assert.Equal(totalEvents, after.EventsAppended - before.EventsAppended);
        Assert.True(
            after.Commits - before.Commits < after.Appends - before.Appends,
            $"{after.Appends - before.Appends} appends took {after.Commits - before.Commits} commits: no commit was shared");

        var read = await ReadAllAsync(log);
        foreach (var (appender, append, range) in ranges)
        {
            var size = 1 + ((appender + append) % 3);
            var batch = read.Skip((int)range.FirstPosition - 1).Take(range.Count).Select(r => r.Event);
            Assert.Equal(NumberedRange((appender * 1000) + (append * 10), size), batch);
        }
    }

    [Fact]
    public async Task Append_ReportedCancelled_WroteNothing_AndOneNotCancelledIsWhereItSays()
    {
        await using var log = await OpenAsync("log");
        await log.AppendAsync(NumberedRange(0, 1), 0, Timeout);

        // A large append in front keeps the writer busy while the small ones queue, so that the even ones are
        // (most likely) cancelled while still waiting. Whatever the timing, the outcome each caller sees must be
        // the truth, and the odd ones, never cancelled, must commit although their neighbours were.
        var large = log.AppendAsync(NumberedRange(1, 5000), null, Timeout).AsTask();
        var sources = Enumerable.Range(0, 40).Select(_ => new CancellationTokenSource()).ToList();
        var small = sources.Select((source, i) => log.AppendAsync([Numbered(10_000 + i)], null, source.Token).AsTask()).ToList();
        for (var i = 0; i < sources.Count; i += 2)
        {
            await sources[i].CancelAsync();
        }

        await large;
        var outcomes = new List<AppendResult?>();
        foreach (var append in small)
        {
            try
            {
                outcomes.Add(await append);
            }
            catch (OperationCanceledException)
            {
                outcomes.Add(null);
            }
        }

        var read = await ReadAllAsync(log);
        for (var i = 0; i < small.Count; i++)
        {
            if (outcomes[i] is null)
            {
                Assert.True(i % 2 == 0, $"append {i} was never cancelled but reports cancelled");
                Assert.DoesNotContain(Numbered(10_000 + i), read.Select(r => r.Event));
            }
            else
            {
                var appended = Assert.IsType<AppendResult.Appended>(outcomes[i]);
                Assert.Equal(Numbered(10_000 + i), read[(int)appended.FirstPosition - 1].Event);
            }
        }

        var cancelled = outcomes.Count(o => o is null);
        Assert.Equal(Enumerable.Range(1, read.Count).Select(p => (long)p), read.Select(r => r.Position));
        Assert.Equal(1 + 5000 + small.Count - cancelled, read.Count);
        sources.ForEach(source => source.Dispose());
    }

    [Fact]
    public async Task Reopen_ReturnsEverythingAppended()
    {
        var appended = NumberedRange(0, 25);
        await using (var log = await OpenAsync("log"))
        {
            await log.AppendAsync(appended[..5], 0, Timeout);
            await log.AppendAsync(appended[5..], 5, Timeout);
        }

        await using var reopened = await OpenAsync("log");

        Assert.Equal(25, await reopened.GetHeadAsync(Timeout));
        Assert.Equal(appended, (await ReadAllAsync(reopened)).Select(r => r.Event));
        Assert.Equal(new AppendResult.Appended(26, 26), await reopened.AppendAsync([Numbered(25)], 25, Timeout));
    }

    [Fact]
    public async Task Tail_YieldsWhatIsThereThenEventsAppendedAfterItStarted()
    {
        await using var log = await OpenAsync("log");
        await log.AppendAsync(NumberedRange(0, 3), 0, Timeout);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var seen = new List<RecordedEvent>();
        await foreach (var recorded in log.TailAsync(1, stop.Token))
        {
            seen.Add(recorded);
            if (recorded.Position == 3)
            {
                await log.AppendAsync(NumberedRange(3, 2), 3, Timeout);
            }
            else if (recorded.Position == 5)
            {
                await log.AppendAsync([Numbered(5)], 5, Timeout);
            }
            else if (recorded.Position == 6)
            {
                break;
            }
        }

        Assert.Equal([2L, 3L, 4L, 5L, 6L], seen.Select(r => r.Position));
        Assert.Equal(NumberedRange(1, 5), seen.Select(r => r.Event));
    }

    [Fact]
    public async Task Tail_WaitsForAnAppendFromAnotherTask()
    {
        await using var log = await OpenAsync("log");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tail = log.TailAsync(0, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = tail.MoveNextAsync().AsTask();
        await Task.Delay(100, Timeout);
        Assert.False(next.IsCompleted);

        await log.AppendAsync([Numbered(0)], 0, Timeout);

        Assert.True(await next);
        Assert.Equal(1, tail.Current.Position);
        await tail.DisposeAsync();
    }

    [Fact]
    public async Task Tail_EndsWithCancellationWhenItsTokenFires()
    {
        await using var log = await OpenAsync("log");
        await log.AppendAsync([Numbered(0)], 0, Timeout);
        using var stop = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var recorded in log.TailAsync(0, stop.Token))
            {
                seen++;
                stop.CancelAfter(TimeSpan.FromMilliseconds(50));
            }
        });
        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task Read_AnEventOfAnUnknownType_FailsNamingTheTypeAndPosition()
    {
        await using (var log = await OpenAsync("log"))
        {
            await log.AppendAsync(NumberedRange(0, 2), 0, Timeout);
        }

        await WriteRawEventAsync("log", "FrameworkTeleported", 3, """{"frameworkId":"f1","at":"2026-01-01T00:00:00+00:00","principal":"p"}""");
        await using var reopened = await OpenAsync("log");
        var readBeforeTheError = new List<long>();

        var error = await Assert.ThrowsAsync<UnknownEventTypeException>(async () =>
        {
            await foreach (var recorded in reopened.ReadAsync(0, Timeout))
            {
                readBeforeTheError.Add(recorded.Position);
            }
        });

        Assert.Equal(3, error.Position);
        Assert.Equal("FrameworkTeleported", error.TypeName);
        Assert.Equal(3, error.Version);
        Assert.Contains("position 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("'FrameworkTeleported' version 3", error.Message, StringComparison.Ordinal);
        Assert.All(readBeforeTheError, position => Assert.True(position < 3));
    }

    [Fact]
    public async Task Read_AKnownTypeAtAnUnknownVersion_FailsNamingIt()
    {
        await WriteRawEventAsync("log", "AgentHeartbeatReceived", 99, """{"agentId":"a1","at":"2026-01-01T00:00:00+00:00","principal":"p"}""");
        await using var log = await OpenAsync("log");

        var error = await Assert.ThrowsAsync<UnknownEventTypeException>(() => ReadAllAsync(log));
        Assert.Equal(1, error.Position);
        Assert.Contains("'AgentHeartbeatReceived' version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_APayloadThatDoesNotDecode_FailsNamingThePositionAndType()
    {
        await using (var log = await OpenAsync("log"))
        {
            await log.AppendAsync([Numbered(0)], 0, Timeout);
        }

        await WriteRawEventAsync("log", "AgentHeartbeatReceived", 1, """{"at":"2026-01-01T00:00:00+00:00","principal":"p"}""");
        await using var reopened = await OpenAsync("log");

        var error = await Assert.ThrowsAsync<EventPayloadException>(() => ReadAllAsync(reopened));
        Assert.Equal(2, error.Position);
        Assert.Equal("AgentHeartbeatReceived", error.TypeName);
        Assert.Contains("position 2", error.Message, StringComparison.Ordinal);
    }
}
