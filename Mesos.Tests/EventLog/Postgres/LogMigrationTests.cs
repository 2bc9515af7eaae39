using Mesos.Core.State;
using Mesos.Master.Recovery;
using Mesos.Master.Registry;
using Mesos.Protocol.V1;
using Mesos.Tests.Cli;
using Mesos.Tests.Integration;

namespace Mesos.Tests.EventLog.Postgres;

/// <summary><c>mesos log export</c> and <c>import</c>: a history recorded by a real master on SQLite moves to PostgreSQL intact.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LogMigrationTests(PostgresCluster cluster)
{
    [Fact]
    public async Task HistoryRecordedOnSqlite_ExportedAndImportedIntoPostgres_ReplaysToTheSameStateHash()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var workDir = Integration.TempDirectory.Create("migrate-master");
        await using (var master = await TestMaster.StartAsync(workDir))
        {
            await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
            await agent.WaitForRegistrationAsync(cts.Token);
            await using var framework = await TestFramework.SubscribeAsync(master, "migrate", cts.Token);
            foreach (var task in (string[])["one", "two", "three"])
            {
                await framework.LaunchAsync(task, $"echo {task}", cts.Token);
                Assert.Equal(TaskState.TaskFinished, (await framework.UpdatesUntilTerminalAsync(task, cts.Token))[^1].State);
            }
        }

        var sqlite = RegistryOptions.Sqlite(Path.Combine(workDir, "registry.db"));
        var postgres = RegistryOptions.Postgres(await cluster.DatabaseNamed("migration"));
        var export = Path.Combine(workDir, "history.jsonl");

        var exported = await CliRunner.RunAsync(["log", "export", "--to", export, "--log", sqlite.SqlitePath!], cancellationToken: cts.Token);
        Assert.Equal((0, ""), (exported.ExitCode, exported.Error));
        var imported = await CliRunner.RunAsync(["log", "import", "--from", export, "--registry_url", postgres.ConnectionString!], cancellationToken: cts.Token);
        Assert.Equal((0, ""), (imported.ExitCode, imported.Error));

        var (sqliteHash, sqliteHead) = await ReplayAsync(sqlite, cts.Token);
        var (postgresHash, postgresHead) = await ReplayAsync(postgres, cts.Token);
        Assert.True(sqliteHead > 10, $"only {sqliteHead} events recorded");
        Assert.Equal(File.ReadLines(export).Count(), sqliteHead);
        Assert.Equal(sqliteHead, postgresHead);
        Assert.Equal(sqliteHash, postgresHash);
        Assert.Contains($"exported {sqliteHead} events", exported.Out, StringComparison.Ordinal);

        // A registry that holds events is never merged into.
        var again = await CliRunner.RunAsync(["log", "import", "--from", export, "--registry_url", postgres.ConnectionString!], cancellationToken: cts.Token);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"already holds {sqliteHead} events; import needs an empty registry", again.Error, StringComparison.Ordinal);

        // And back again: the PostgreSQL history imported into a fresh SQLite file replays to the same hash too.
        var back = Path.Combine(workDir, "back.jsonl");
        Assert.Equal(0, (await CliRunner.RunAsync(["log", "export", "--to", back, "--registry_url", postgres.ConnectionString!], cancellationToken: cts.Token)).ExitCode);
        var fresh = RegistryOptions.Sqlite(Path.Combine(workDir, "fresh.db"));
        Assert.Equal(0, (await CliRunner.RunAsync(["log", "import", "--from", back, "--log", fresh.SqlitePath!], cancellationToken: cts.Token)).ExitCode);
        Assert.Equal((sqliteHash, sqliteHead), await ReplayAsync(fresh, cts.Token));
    }

    [Theory]
    [InlineData("not json", "line 1:")]
    [InlineData("""{"position":2,"type":"AgentHeartbeatReceived","version":1,"payload":{}}""", "line 1: position 2 where 1 was expected")]
    [InlineData("""{"position":1,"type":"FrameworkTeleported","version":1,"payload":{}}""", "line 1: event at position 1 has unknown type 'FrameworkTeleported'")]
    [InlineData("""{"position":1,"version":1,"payload":{}}""", "line 1: a field is missing")]
    public async Task Import_OfABadFile_NamesTheLine_AndWritesNothing(string line, string message)
    {
        var directory = Integration.TempDirectory.Create("bad-import");
        var file = Path.Combine(directory, "bad.jsonl");
        await File.WriteAllTextAsync(file, line + "\n");
        var target = Path.Combine(directory, "target.db");

        var (exitCode, _, error) = await CliRunner.RunAsync(["log", "import", "--from", file, "--log", target]);

        Assert.Equal(1, exitCode);
        Assert.Contains(message, error, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Export_FromAnUnreachableRegistry_IsAOneLineError()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["log", "export", "--to", "/tmp/never-written.jsonl", "--registry_url", "Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=3"]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("registry postgres://127.0.0.1:1/x: cannot connect", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    private static async Task<(string Hash, long Head)> ReplayAsync(RegistryOptions registry, CancellationToken ct)
    {
        await using var log = await RegistryFactory.OpenAsync(registry, ct);
        var replay = await LogReplay.ReplayAsync(log, long.MaxValue, ct);
        return (StateHash.Compute(replay.State), replay.Position);
    }
}
