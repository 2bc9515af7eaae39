using System.Globalization;
using Npgsql;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>
/// A private PostgreSQL primary and a streaming-replication standby made from it with pg_basebackup -R, the primary
/// waiting for the standby on every commit (synchronous_standby_names), as infra/pg/cluster.sh standby does. A test
/// can stop the primary and promote the standby. Not shared: stopping its primary would pull the floor from under
/// other tests.
/// </summary>
public sealed class ReplicatedPostgres : IAsyncDisposable
{
    private const string StandbyName = "mesos_standby";
    private readonly string bin = PostgresCluster.FindBin();
    private readonly string baseDirectory = Directory.CreateTempSubdirectory("mesos-tests-pg-pair-").FullName;

    private ReplicatedPostgres()
    {
    }

    public int PrimaryPort { get; private set; }

    public int StandbyPort { get; private set; }

    public string Password { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();

    private string PrimaryData => Path.Combine(baseDirectory, "primary");

    private string StandbyData => Path.Combine(baseDirectory, "standby");

    /// <summary>The primary and its synchronous standby, with a database <c>mesos</c> on both.</summary>
    public static async Task<ReplicatedPostgres> StartAsync()
    {
        var pair = new ReplicatedPostgres();
        try
        {
            await pair.StartPrimaryAsync();
            await using (var connection = new NpgsqlConnection(pair.ConnectionString(pair.PrimaryPort, "postgres")))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE DATABASE mesos;", connection);
                await create.ExecuteNonQueryAsync();
            }

            await pair.StartStandbyAsync();
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(int port, string database = "mesos") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = "postgres",
        Password = Password,
        Database = database,
    }.ToString();

    /// <summary>Both servers, primary first; Npgsql keeps to whichever is the primary now, and rechecks a host it found down or read-only after a second.</summary>
    public string MultiHostConnectionString(string database = "mesos") => string.Create(
        CultureInfo.InvariantCulture,
        $"Host=127.0.0.1:{PrimaryPort},127.0.0.1:{StandbyPort};Username=postgres;Password={Password};Database={database};Target Session Attributes=primary;Host Recheck Seconds=1");

    /// <summary>Stops the primary: "immediate" is a crash (no checkpoint, clients cut off), "fast" an orderly stop.</summary>
    public Task StopPrimaryAsync(string mode) =>
        PostgresCluster.RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", PrimaryData, "-m", mode, "-w", "stop"], asPostgres: true);

    public Task PromoteStandbyAsync() =>
        PostgresCluster.RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", StandbyData, "-w", "-t", "60", "promote"], asPostgres: true);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var data in new[] { StandbyData, PrimaryData })
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await PostgresCluster.RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres: true);
                }
                catch (InvalidOperationException)
                {
                    // Already stopped between the look and the stop.
                }
            }
        }

        Directory.Delete(baseDirectory, recursive: true);
    }

    private async Task StartPrimaryAsync()
    {
        var passwordFile = Path.Combine(baseDirectory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (PostgresCluster.IsRoot)
        {
            await PostgresCluster.RunAsync("chown", ["-R", "postgres:postgres", baseDirectory], asPostgres: false);
        }

        await PostgresCluster.RunAsync(Path.Combine(bin, "initdb"), ["-D", PrimaryData, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + passwordFile], asPostgres: true);
        PrimaryPort = await StartServerAsync(PrimaryData);
    }

    private async Task StartStandbyAsync()
    {
        var conninfo = string.Create(CultureInfo.InvariantCulture, $"host=127.0.0.1 port={PrimaryPort} user=postgres password={Password} application_name={StandbyName}");
        await PostgresCluster.RunAsync(Path.Combine(bin, "pg_basebackup"), ["-d", conninfo, "-D", StandbyData, "-R", "-X", "stream", "-c", "fast"], asPostgres: true);
        StandbyPort = await StartServerAsync(StandbyData);

        await using var connection = new NpgsqlConnection(ConnectionString(PrimaryPort, "postgres"));
        await connection.OpenAsync();
        await using (var synchronous = new NpgsqlCommand($"ALTER SYSTEM SET synchronous_standby_names = '{StandbyName}'; SELECT pg_reload_conf();", connection))
        {
            await synchronous.ExecuteNonQueryAsync();
        }

        // From the moment the primary sees the standby streaming synchronously, every commit is on both.
        for (var attempt = 0; ; attempt++)
        {
            await using var state = new NpgsqlCommand($"SELECT sync_state FROM pg_stat_replication WHERE application_name = '{StandbyName}';", connection);
            if (await state.ExecuteScalarAsync() as string == "sync")
            {
                return;
            }

            if (attempt == 300)
            {
                throw new InvalidOperationException("the standby did not become a synchronous standby within 30 s");
            }

            await Task.Delay(100);
        }
    }

    private async Task<int> StartServerAsync(string data)
    {
        // A port can be taken between probing and binding: try a few. fsync off (the machine does not crash in
        // these tests; the standby's copy is what the test is about), synchronous_commit left on.
        for (var attempt = 1; ; attempt++)
        {
            var port = PostgresCluster.FreePort();
            var settings = string.Create(CultureInfo.InvariantCulture, $"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200");
            try
            {
                await PostgresCluster.RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(baseDirectory, Path.GetFileName(data) + ".log"), "-w", "-t", "60", "-o", settings, "start"], asPostgres: true);
                return port;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }
}
