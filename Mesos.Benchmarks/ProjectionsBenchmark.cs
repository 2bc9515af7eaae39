using System.Diagnostics;
using System.Text.Json;
using Mesos.Core.Events;
using Mesos.EventLog.Sqlite;
using Mesos.Master.Api.Http;
using Mesos.Master.ReadModels;
using Mesos.Projections;
using Mesos.Projections.Engine;

namespace Mesos.Benchmarks;

/// <summary>
/// The read side: how fast every projection rebuilds from zero (events/s), how far the read models trail the log
/// while a writer appends task launches and status updates at a sustained rate (the master's feeder: tail the
/// SQLite log, apply), and the server time to build and serialize the agents page with 10,000 agents, live and
/// as of a past position.
/// </summary>
public static class ProjectionsBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        Rebuild(events, runs: 3);
        await LagAsync(ratePerSecond: 5_000, seconds: 5);
        await AgentsPageAsync(agents: 10_000);
    }

    private static IEnumerable<CommittedEvent> Committed(List<ClusterEvent> log) => log.Select((e, i) => new CommittedEvent(i + 1, e));

    private static void Rebuild(int count, int runs)
    {
        var log = SyntheticCluster.Generate(count);
        var rates = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var models = new ReadModels();
            var stopwatch = Stopwatch.StartNew();
            models.Rebuild(Committed(log));
            stopwatch.Stop();
            rates.Add(log.Count / stopwatch.Elapsed.TotalSeconds);
            Console.WriteLine($"projections: rebuild run {run + 1}: {log.Count:N0} events into {models.Engine.Projections.Count} read models in {stopwatch.Elapsed.TotalMilliseconds:N0} ms: {rates[^1]:N0} events/s ({models.Tasks.Tasks.Count:N0} tasks, {models.Engine.Checkpoints.Count} checkpoints)");
        }

        Console.WriteLine($"projections: rebuild median {Stats.Median(rates):N0} events/s over {runs} runs (100 agents, 10 frameworks, synthetic launches and updates)");
    }

    private static async Task LagAsync(int ratePerSecond, int seconds)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mesos-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var log = SyntheticCluster.Generate(ratePerSecond * seconds + 1000);
        await using var store = await SqliteEventLog.OpenAsync(Path.Combine(directory, "log.db"), CancellationToken.None);
        var models = new ReadModels();
        var appendedAt = new long[log.Count + 1];
        var lagEvents = new List<double>();
        var lagMs = new List<double>();
        using var stop = new CancellationTokenSource();
        var feeder = Task.Run(async () =>
        {
            try
            {
                await foreach (var recorded in store.TailAsync(0, stop.Token))
                {
                    models.Engine.Apply(new CommittedEvent(recorded.Position, recorded.Event));
                    var appended = Volatile.Read(ref appendedAt[recorded.Position]);
                    if (appended > 0)
                    {
                        lock (lagMs)
                        {
                            lagMs.Add(Stopwatch.GetElapsedTime(appended).TotalMilliseconds);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        // Batches of 16 (a group commit's worth) at the target rate: launches, updates, acknowledgements, offers.
        const int Batch = 16;
        var position = 0L;
        var started = Stopwatch.GetTimestamp();
        var total = Math.Min(log.Count, ratePerSecond * seconds);
        while (position < total)
        {
            var due = started + (long)(position / (double)ratePerSecond * Stopwatch.Frequency);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }

            var batch = log.Skip((int)position).Take((int)Math.Min(Batch, total - position)).ToList();
            await store.AppendAsync(batch, position, CancellationToken.None);
            var now = Stopwatch.GetTimestamp();
            for (var i = 1; i <= batch.Count; i++)
            {
                Volatile.Write(ref appendedAt[position + i], now);
            }

            position += batch.Count;
            lagEvents.Add(position - models.Engine.Position);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await models.Engine.AtLeastAsync(position, CancellationToken.None);
        await stop.CancelAsync();
        await feeder;
        Directory.Delete(directory, recursive: true);
        Console.WriteLine($"projections: lag at a sustained {position / elapsed:N0} events/s for {elapsed:N1} s (SQLite log, batches of {Batch}): " +
            $"events behind median {Stats.Median(lagEvents):N0}, p99 {Stats.Percentile(lagEvents, 99):N0}, max {lagEvents.Max():N0}; " +
            $"commit-to-applied median {Stats.Median(lagMs):N2} ms, p99 {Stats.Percentile(lagMs, 99):N2} ms");
    }

    private static async Task AgentsPageAsync(int agents)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mesos-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var log = SyntheticCluster.Generate(agents * 3, agents: agents, frameworks: 10);
        await using var store = await SqliteEventLog.OpenAsync(Path.Combine(directory, "log.db"), CancellationToken.None);
        foreach (var chunk in log.Chunk(1000).Select((c, i) => (Events: c, Start: i * 1000L)))
        {
            await store.AppendAsync(chunk.Events, chunk.Start, CancellationToken.None);
        }

        var models = new ReadModels();
        models.Engine.ApplyAll(Committed(log));
        var asOf = new ClusterAsOf(models, store);
        var past = log.Count / 2 + 7;

        void Time(string what, Func<Task<ClusterView>> view, int offset, string? filter)
        {
            var times = new List<double>();
            var bytes = 0;
            for (var i = 0; i < 21; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var page = UiEndpoints.AgentsPage(view().GetAwaiter().GetResult(), offset, 50, filter, null);
                bytes = JsonSerializer.SerializeToUtf8Bytes(page, UiEndpoints.Json).Length;
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            // The first call warms up (JIT, a past state's fold); the figure is the median of the other 20.
            Console.WriteLine($"projections: agents page, {agents:N0} agents, {what}: median {Stats.Median(times.Skip(1).ToList()):N2} ms, first {times[0]:N1} ms ({bytes:N0} bytes of JSON)");
        }

        Time("live, first 50", () => asOf.AtAsync(null, CancellationToken.None), 0, null);
        Time("live, 50 from offset 9,900", () => asOf.AtAsync(null, CancellationToken.None), 9_900, null);
        Time("live, filtered on 'rack:r7'", () => asOf.AtAsync(null, CancellationToken.None), 0, "rack:r7");
        Time($"as of position {past:N0} (time travel, cached after the first)", () => asOf.AtAsync(past, CancellationToken.None), 0, null);
        Directory.Delete(directory, recursive: true);
    }
}
