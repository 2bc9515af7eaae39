using System.Diagnostics;
using System.Globalization;
using Mesos.EventLog.Marten;
using Mesos.EventLog.Port;
using Npgsql;

namespace Mesos.Benchmarks;

/// <summary>
/// The PostgreSQL registry (Marten, one stream, group commit): durable appends with one writer and with sixteen
/// sharing commits, then the replay rate (read + decode). Medians of three runs. Each run writes a stream of its
/// own in the schema <c>mesos_bench</c>, dropped at the end.
/// Usage: <c>Mesos.Benchmarks pglog --registry_url URL [--seconds S] [--events N]</c>; start a cluster with
/// <c>infra/pg/cluster.sh start</c> and pass what <c>infra/pg/cluster.sh url</c> prints (fsync is on there).
/// </summary>
public static class PgLogBenchmark
{
    private const int Runs = 3;
    private const int ConcurrentWriters = 16;
    private const int ReplayBatch = 10_000;
    private const string Schema = "mesos_bench";

    public static async Task RunAsync(string[] args)
    {
        var url = Option(args, "--registry_url") ?? Environment.GetEnvironmentVariable("MESOS_REGISTRY_URL")
            ?? throw new ArgumentException("pglog needs --registry_url (start one with infra/pg/cluster.sh start)");
        var connectionString = RegistryUrl.ToConnectionString(url);
        var seconds = double.Parse(Option(args, "--seconds") ?? "3", CultureInfo.InvariantCulture);
        var events = int.Parse(Option(args, "--events") ?? "200000", CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(seconds);

        Console.WriteLine($"event log benchmark: PostgreSQL via Marten (Quick append, one stream, group commit) at {MartenEventLog.DescribeConnection(connectionString)}; {Environment.ProcessorCount} cores; median of {Runs} runs");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var settings = new NpgsqlCommand("SELECT current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', ' || version();", connection);
            Console.WriteLine($"server: fsync={await settings.ExecuteScalarAsync()}");
        }

        try
        {
            await SequentialAppendsAsync(connectionString, duration);
            await ConcurrentAppendsAsync(connectionString, duration);
            await ReplayAsync(connectionString, events);
        }
        finally
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE;", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static Task<MartenEventLog> OpenAsync(string connectionString, string stream) =>
        MartenEventLog.OpenAsync(connectionString, new MartenEventLogOptions { Schema = Schema, StreamKey = stream }, CancellationToken.None);

    private static async Task SequentialAppendsAsync(string connectionString, TimeSpan duration)
    {
        var rates = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            await using var log = await OpenAsync(connectionString, $"sequential-{run}-{Guid.NewGuid():N}");
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

        Console.WriteLine($"1 writer, 1 event per append, awaited:   {Stats.Median(rates),10:N0} appends/s (durable)");
    }

    private static async Task ConcurrentAppendsAsync(string connectionString, TimeSpan duration)
    {
        var eventRates = new List<double>();
        var commitRates = new List<double>();
        var batchSizes = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            await using var log = await OpenAsync(connectionString, $"concurrent-{run}-{Guid.NewGuid():N}");
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

        Console.WriteLine($"{ConcurrentWriters} writers, 1 event per append:         {Stats.Median(eventRates),10:N0} events/s, {Stats.Median(commitRates):N0} commits/s, {Stats.Median(batchSizes):N1} appends per commit");
    }

    private static async Task ReplayAsync(string connectionString, int events)
    {
        var stream = $"replay-{Guid.NewGuid():N}";
        var clock = Stopwatch.StartNew();
        await using (var log = await OpenAsync(connectionString, stream))
        {
            var source = new SyntheticClusterEvents();
            var head = 0L;
            while (head < events)
            {
                var result = await log.AppendAsync(source.Next((int)Math.Min(ReplayBatch, events - head)), head, CancellationToken.None);
                head = ((AppendResult.Appended)result).LastPosition;
            }
        }

        Console.WriteLine($"wrote {events:N0} events in batches of {ReplayBatch:N0}: {events / clock.Elapsed.TotalSeconds,10:N0} events/s");

        var rates = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            await using var log = await OpenAsync(connectionString, stream);
            clock.Restart();
            var count = 0L;
            await foreach (var recorded in log.ReadAsync(0, CancellationToken.None))
            {
                count++;
            }

            if (count != events)
            {
                throw new InvalidOperationException($"replay read {count} events, expected {events}");
            }

            rates.Add(count / clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"replay (read + decode) of {events:N0}:       {Stats.Median(rates),10:N0} events/s");
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
