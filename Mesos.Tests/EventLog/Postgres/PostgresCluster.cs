using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary>
/// A private PostgreSQL cluster for the test run: initdb into a temporary directory, its own free port on
/// 127.0.0.1, its unix socket inside that directory, run as user postgres when the tests run as root (the server
/// refuses root). Nothing else on the machine is touched. Each test class asks for a database of its own.
/// fsync is off: these tests check behaviour, and figures come from the benchmark against infra/pg/cluster.sh.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> databases = new(StringComparer.Ordinal);
    private string? baseDirectory;
    private string? bin;

    public int Port { get; private set; }

    public string Password { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();

    private string DataDirectory => Path.Combine(baseDirectory!, "data");

    internal static bool IsRoot => Environment.UserName == "root";

    /// <summary>A connection string, as superuser postgres over TCP with a password, to the database <paramref name="database"/>.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = Password,
        Database = database,
        Pooling = true,
        MaxPoolSize = 20,
    }.ToString();

    /// <summary>The database for <paramref name="owner"/> (a test class), created on first use.</summary>
    public Task<string> DatabaseFor(Type owner) => DatabaseNamed(owner.Name.ToLowerInvariant());

    public Task<string> DatabaseNamed(string name) =>
        databases.GetOrAdd(name, n => new Lazy<Task<string>>(() => CreateDatabaseAsync(n))).Value;

    public async Task InitializeAsync()
    {
        bin = FindBin();

        baseDirectory = Directory.CreateTempSubdirectory("mesos-tests-pg-").FullName;
        var passwordFile = Path.Combine(baseDirectory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", baseDirectory], asPostgres: false);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", DataDirectory, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + passwordFile], asPostgres: true);

        // A port can be taken between probing and binding: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var settings = string.Create(
                CultureInfo.InvariantCulture,
                $"-p {Port} -k {DataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300");
            try
            {
                await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-w", "-t", "60", "-o", settings, "start"], asPostgres: true);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (baseDirectory is null)
        {
            return;
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsync(Path.Combine(bin!, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], asPostgres: true);
            }
        }
        finally
        {
            Directory.Delete(baseDirectory, recursive: true);
        }
    }

    private async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>The newest installed PostgreSQL's bin directory.</summary>
    internal static string FindBin() =>
        (Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null)
        ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run infra/install-test-deps.sh");

    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL tool, as user postgres when the tests run as root and <paramref name="asPostgres"/>; throws with its output when it fails.</summary>
    internal static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres && IsRoot ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
