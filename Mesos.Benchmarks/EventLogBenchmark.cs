using System.Diagnostics;
using System.Globalization;
using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;
using Mesos.EventLog.Sqlite;

namespace Mesos.Benchmarks;

/// <summary>
/// Durable append rates of the SQLite log (one writer, then sixteen sharing commits) and the replay rate of a
/// synthetic log. Every figure is the median of three runs.
/// Usage: <c>Mesos.Benchmarks eventlog [--dir DIR] [--events N] [--seconds S]</c>.
/// </summary>
public static class EventLogBenchmark
{
    private const int Runs = 3;
    private const int ConcurrentWriters = 16;
    private const int ReplayBatch = 10_000;

    public static async Task RunAsync(string[] args)
    {
        if (args is ["crash-writer", var crashPath, var firstBatch])
        {
            await EventLogCrashWriter.RunAsync(crashPath, long.Parse(firstBatch, CultureInfo.InvariantCulture));
            return;
        }

        var directory = Option(args, "--dir") ?? Path.GetTempPath();
        var events = int.Parse(Option(args, "--events") ?? "1000000", CultureInfo.InvariantCulture);
        var seconds = double.Parse(Option(args, "--seconds") ?? "2", CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(seconds);
        var work = Directory.CreateDirectory(Path.Combine(directory, $"mesos-eventlog-bench-{Environment.ProcessId}")).FullName;

        Console.WriteLine($"event log benchmark: SQLite (WAL, synchronous=FULL) in {work}; {Environment.ProcessorCount} cores; median of {Runs} runs");
        try
        {
            await SequentialAppendsAsync(work, duration);
            await ConcurrentAppendsAsync(work, duration);
            DecodeOnly();
            await ReplayAsync(work, events);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task SequentialAppendsAsync(string work, TimeSpan duration)
    {
        var rates = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var path = Path.Combine(work, $"sequential-{run}.db");
            await using var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None);
            var source = new SyntheticClusterEvents();
            var head = 0L;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                var result = await log.AppendAsync([source.Next()], head, CancellationToken.None);
                head = ((AppendResult.Appended)result).LastPosition;
            }

            rates.Add(head / clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"1 writer, 1 event per append, awaited:   {Median(rates),10:N0} appends/s (durable)");
    }

    private static async Task ConcurrentAppendsAsync(string work, TimeSpan duration)
    {
        var eventRates = new List<double>();
        var commitRates = new List<double>();
        var batchSizes = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var path = Path.Combine(work, $"concurrent-{run}.db");
            await using var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            var writers = Enumerable.Range(0, ConcurrentWriters).Select(writer => Task.Run(async () =>
            {
                var source = new SyntheticClusterEvents();
                while (clock.Elapsed < duration)
                {
                    await log.AppendAsync([source.Next()], null, CancellationToken.None);
                }
            }));
            await Task.WhenAll(writers);
            var elapsed = clock.Elapsed.TotalSeconds;
            var statistics = log.Statistics;
            eventRates.Add(statistics.EventsAppended / elapsed);
            commitRates.Add(statistics.Commits / elapsed);
            batchSizes.Add(statistics.AppendsPerCommit);
        }

        Console.WriteLine($"{ConcurrentWriters} writers, 1 event per append:         {Median(eventRates),10:N0} events/s, {Median(commitRates):N0} commits/s, {Median(batchSizes):N1} appends per commit");
    }

    private static void DecodeOnly()
    {
        const int Count = 200_000;
        var source = new SyntheticClusterEvents();
        var encoded = new EncodedEvent[Count];
        for (var i = 0; i < Count; i++)
        {
            encoded[i] = EventCodec.Encode(source.Next());
        }

        var rates = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Count; i++)
            {
                EventCodec.Decode(i + 1, encoded[i].TypeName, encoded[i].Version, encoded[i].Payload);
            }

            rates.Add(Count / clock.Elapsed.TotalSeconds);
        }

        var meanBytes = encoded.Average(e => e.Payload.Length);
        Console.WriteLine($"decode only (EventCodec, in memory):     {Median(rates),10:N0} events/s ({meanBytes:N0} payload bytes per event)");
        foreach (var byType in encoded.GroupBy(e => e.TypeName))
        {
            var sample = byType.ToArray();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < sample.Length; i++)
            {
                EventCodec.Decode(i + 1, sample[i].TypeName, sample[i].Version, sample[i].Payload);
            }

            Console.WriteLine($"  {byType.Key,-24} {sample.Length / clock.Elapsed.TotalSeconds,10:N0} events/s ({sample.Average(e => e.Payload.Length):N0} bytes)");
        }
    }

    private static async Task ReplayAsync(string work, int events)
    {
        var path = Path.Combine(work, "replay.db");
        var clock = Stopwatch.StartNew();
        await using (var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None))
        {
            var source = new SyntheticClusterEvents();
            var head = 0L;
            while (head < events)
            {
                var result = await log.AppendAsync(source.Next((int)Math.Min(ReplayBatch, events - head)), head, CancellationToken.None);
                head = ((AppendResult.Appended)result).LastPosition;
            }
        }

        var written = clock.Elapsed.TotalSeconds;
        var megabytes = new FileInfo(path).Length / 1024.0 / 1024.0;
        Console.WriteLine($"wrote {events:N0} events in batches of {ReplayBatch:N0}: {events / written,10:N0} events/s ({megabytes:N0} MiB file)");

        var rates = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            await using var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None);
            clock.Restart();
            var count = 0L;
            var checksum = 0L;
            await foreach (var recorded in log.ReadAsync(0, CancellationToken.None))
            {
                count++;
                checksum += recorded.At.UtcTicks;
            }

            if (count != events || checksum == 0)
            {
                throw new InvalidOperationException($"replay read {count} events, expected {events}");
            }

            rates.Add(count / clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"replay (read + decode) of {events:N0}:       {Median(rates),10:N0} events/s");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
