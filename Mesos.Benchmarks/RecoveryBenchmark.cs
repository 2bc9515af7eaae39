using System.Diagnostics;
using System.Globalization;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.EventLog.Marten;
using Mesos.EventLog.Port;
using Mesos.EventLog.Snapshots;
using Mesos.Master;
using Mesos.Master.Recovery;
using Mesos.Master.Registry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mesos.Benchmarks;

/// <summary>
/// How long a master takes to recover a long log, with and without a snapshot: a realistic log (decided by the
/// real decide functions: heartbeats, allocation cycles, offers, launches, updates, acknowledgements) is written
/// in batches to SQLite and, given <c>--registry_url</c>, to PostgreSQL; then a master starts on it as a standby
/// whose leader has just died (the lock is free) and the time until it is elected is measured, first with no
/// snapshot (fold everything), then with one <c>--tail</c> events before the head (half the default interval).
/// Medians of three runs; the fold alone is printed beside it.
/// Usage: <c>Mesos.Benchmarks recovery [--events N] [--agents A] [--tail T] [--registry_url URL]</c>. With PostgreSQL
/// it creates (and drops) a database of its own, <c>mesos_bench_recovery</c>, as the user postgres of the URL's
/// pgpass, so that it shares no lock and no stream with anything else on that server.
/// </summary>
public static class RecoveryBenchmark
{
    private const int Runs = 3;
    private const int Batch = 10_000;
    private const string Database = "mesos_bench_recovery";

    public static async Task RunAsync(string[] args)
    {
        var events = int.Parse(Option(args, "--events") ?? "1000000", CultureInfo.InvariantCulture);
        var agents = int.Parse(Option(args, "--agents") ?? "1000", CultureInfo.InvariantCulture);
        var tail = int.Parse(Option(args, "--tail") ?? "5000", CultureInfo.InvariantCulture);
        var url = Option(args, "--registry_url") ?? Environment.GetEnvironmentVariable("MESOS_REGISTRY_URL");

        var clock = Stopwatch.StartNew();
        var log = SyntheticCluster.Generate(events, agents: agents, frameworks: 10);
        var snapshotAt = log.Count - tail;
        var prefix = ClusterFold.ApplyAll(ClusterState.Empty, log.Take(snapshotAt));
        var whole = ClusterFold.ApplyAll(prefix, log.Skip(snapshotAt));
        Console.WriteLine($"recovery: generated {log.Count:N0} events in {clock.Elapsed.TotalSeconds:N1} s; the state at the head: {whole.Agents.Count:N0} agents, {whole.Frameworks.Count} frameworks, {whole.Tasks.Count:N0} active tasks, {whole.Frameworks.Values.Sum(f => f.CompletedTasks.Count):N0} completed; {Environment.ProcessorCount} cores");

        clock.Restart();
        var snapshot = SnapshotCodec.Encode(prefix, snapshotAt, DateTimeOffset.UtcNow);
        var encodeMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        SnapshotCodec.Decode(snapshot);
        Console.WriteLine($"recovery: snapshot at position {snapshotAt:N0} ({tail:N0} events before the head): {snapshot.Payload.Length / 1_048_576.0:N1} MB gzip, encoded (with its hash) in {encodeMs:N0} ms, decoded and verified in {clock.Elapsed.TotalMilliseconds:N0} ms");

        var root = Path.Combine(Path.GetTempPath(), "mesos-bench", "recovery-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            await MeasureAsync("sqlite", RegistryOptions.Sqlite(Path.Combine(root, "registry.db")), root, log, snapshot);
            if (url is not null)
            {
                var admin = new NpgsqlConnectionStringBuilder(RegistryUrl.ToConnectionString(url)) { Username = "postgres", Database = "postgres" }.ToString();
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Database};");
                await ExecuteAsync(admin, $"CREATE DATABASE {Database};");
                try
                {
                    var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Database }.ToString();
                    await MeasureAsync("postgres", RegistryOptions.Postgres(connectionString), root, log, snapshot);
                }
                finally
                {
                    NpgsqlConnection.ClearAllPools();
                    await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Database} WITH (FORCE);");
                }
            }
            else
            {
                Console.WriteLine("recovery: no --registry_url, PostgreSQL skipped (infra/pg/cluster.sh start; pass infra/pg/cluster.sh url)");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task MeasureAsync(string name, RegistryOptions registry, string root, List<ClusterEvent> events, StoredSnapshot snapshot)
    {
        var clock = Stopwatch.StartNew();
        await using (var log = await RegistryFactory.OpenAsync(registry, CancellationToken.None))
        {
            foreach (var chunk in events.Chunk(Batch))
            {
                await log.AppendAsync(chunk, null, CancellationToken.None);
            }
        }

        Console.WriteLine($"{name}: wrote {events.Count:N0} events in batches of {Batch:N0} in {clock.Elapsed.TotalSeconds:N1} s ({events.Count / clock.Elapsed.TotalSeconds:N0} events/s)");

        await TimeAsync(name, "no snapshot", registry, root);
        clock.Restart();
        await using (var log = await RegistryFactory.OpenAsync(registry, CancellationToken.None))
        {
            await ((ISnapshotStore)log).SaveSnapshotAsync(snapshot, keep: 2, CancellationToken.None);
        }

        Console.WriteLine($"{name}: stored the snapshot in {clock.Elapsed.TotalMilliseconds:N0} ms");
        await TimeAsync(name, "snapshot", registry, root);
    }

    private static async Task TimeAsync(string name, string what, RegistryOptions registry, string root)
    {
        var folds = new List<double>();
        var starts = new List<double>();
        string? hash = null;
        long folded = 0;
        for (var run = 0; run < Runs; run++)
        {
            var clock = Stopwatch.StartNew();
            await using (var log = await RegistryFactory.OpenAsync(registry, CancellationToken.None))
            {
                var recovered = await LogReplay.RecoverAsync(log, long.MaxValue, useSnapshots: what != "no snapshot", CancellationToken.None);
                folded = recovered.Events;
                foreach (var rejected in recovered.Rejections)
                {
                    Console.WriteLine($"{name}: snapshot at {rejected.Position} rejected: {rejected.Reason}");
                }
            }

            folds.Add(clock.Elapsed.TotalMilliseconds);

            // The whole takeover: open the registry, recover, take the lock (PostgreSQL), start serving, append the election.
            var options = BenchmarkMaster.Options(root) with { Registry = registry };
            clock.Restart();
            await using (var master = await MasterServer.StartAsync(options, CancellationToken.None, b => b.SetMinimumLevel(LogLevel.Warning)))
            {
                starts.Add(clock.Elapsed.TotalMilliseconds);
                hash = master.State.Current.Hash;
            }
        }

        Console.WriteLine($"{name}, {what}: recovery (open + load + fold {folded:N0} events) median {Stats.Median(folds):N0} ms; master start to elected median {Stats.Median(starts):N0} ms (runs: {string.Join(", ", starts.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}); hash {hash![..16]}");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
