using System.Text;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Core.Resources;
using Mesos.Master.Registry;
using Mesos.Projections;
using Mesos.Projections.Engine;
using Mesos.Projections.Marten;
using Mesos.Protocol.V1;
using Mesos.Tests.Core.State;
using Mesos.Tests.EventLog.Postgres;
using Mesos.Tests.Integration;
using Npgsql;

namespace Mesos.Tests.Projections;

/// <summary>With PostgreSQL, the agents and tasks read models are Marten documents that SQL can query.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReadModelDocumentsTests(PostgresCluster cluster)
{
    /// <summary>The query the README shows: the agents, and the running tasks with their agent's hostname.</summary>
    public const string AgentsQuery = """
        SELECT data->>'id' AS id, data->>'hostname' AS hostname, data->>'state' AS state,
               (data->'total'->>'cpus')::float8 AS cpus, (data->'total'->>'mem')::float8 AS mem, data->'total'->>'text' AS resources
        FROM mesos.mt_doc_agent ORDER BY hostname, id;
        """;

    public const string RunningTasksQuery = """
        SELECT t.data->>'taskId' AS task, t.data->>'frameworkId' AS framework, a.data->>'hostname' AS hostname,
               (t.data->'resources'->>'cpus')::float8 AS cpus, (t.data->'resources'->>'mem')::float8 AS mem
        FROM mesos.mt_doc_task t JOIN mesos.mt_doc_agent a ON a.id = t.data->>'agentId'
        WHERE t.data->>'state' = 'TASK_RUNNING'
        ORDER BY task;
        """;

    [Fact]
    public async Task MasterAndAgentOnPostgres_ASqlQueryOnTheDocuments_ListsTheAgentsAndTheRunningTasks()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var database = await cluster.DatabaseNamed("documents");
        await using var master = await TestMaster.StartAsync(configure: o => o with { Registry = RegistryOptions.Postgres(database) });
        await using var agent = await AgentRuntime.StartAsync(new AgentOptions
        {
            Masters = [$"127.0.0.1:{master.Port}"],
            WorkDir = TempDirectory.Create("documents-agent"),
            Resources = ResourceSet.Parse("cpus:4;mem:2048;disk:1000;ports:[31000-32000]"),
            Port = 0,
            Ip = "127.0.0.1",
            Hostname = "documents-host",
        });
        var agentId = await agent.WaitForRegistrationAsync(cts.Token);
        await using var framework = await TestFramework.SubscribeAsync(master, "documents", cts.Token);
        foreach (var (task, command) in new[] { ("done", "true"), ("sleeper-1", "sleep 120"), ("sleeper-2", "sleep 120") })
        {
            await framework.LaunchAsync(task, command, cts.Token, cpus: 0.5, mem: 64);
            while ((await framework.NextUpdateAsync(task, cts.Token)).State is not (TaskState.TaskRunning or TaskState.TaskFinished))
            {
            }
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cts.Token);
        List<object[]> running;
        while ((running = await QueryAsync(connection, RunningTasksQuery, cts.Token)).Count < 2)
        {
            await Task.Delay(100, cts.Token);
        }

        object[][] expected =
        [
            ["sleeper-1", framework.Context.FrameworkId, "documents-host", 0.5, 64.0],
            ["sleeper-2", framework.Context.FrameworkId, "documents-host", 0.5, 64.0],
        ];
        Assert.Equal(expected, running);
        var agents = await QueryAsync(connection, AgentsQuery, cts.Token);
        var row = Assert.Single(agents);
        Assert.Equal(new object[] { agentId, "documents-host", "ACTIVE", 4.0, 2048.0 }, row[..5]);
        Assert.Contains("ports:[31000-32000]", (string)row[5], StringComparison.Ordinal);

        // The finished task is a document too, no longer running.
        var done = await QueryAsync(connection, "SELECT data->>'state' FROM mesos.mt_doc_task WHERE data->>'taskId' = 'done';", cts.Token);
        Assert.Equal("TASK_FINISHED", Assert.Single(done)[0]);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public async Task Documents_ResumedFromTheirCheckpoint_AndRebuiltFromZero_EqualTheReadModels(int seed)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var random = new Random(seed);
        var log = ClusterSimulation.Run(Enumerable.Range(0, 150).Select(_ => new SimulationStep(random.Next(100), random.Next(1 << 16), random.Next(1 << 16), random.Next(13)))).Log;
        var events = log.Select((e, i) => new CommittedEvent(i + 1, e)).ToList();
        var half = events.Count / 2;
        var database = await cluster.DatabaseFor(GetType());
        var schema = "documents_" + seed;

        // A first master writes the documents of the first half, then stops.
        await using (var store = await ReadModelDocumentStore.OpenAsync(database, schema, cts.Token))
        {
            Assert.Null(await store.ReadCheckpointAsync(cts.Token));
            await RunAsync(store, checkpoint: 0, events.Take(half), cts.Token);
            Assert.Equal(half, (await store.ReadCheckpointAsync(cts.Token))!.Position);
        }

        // The next one replays the whole log, but writes only what the events after the checkpoint touched.
        string resumed;
        await using (var store = await ReadModelDocumentStore.OpenAsync(database, schema, cts.Token))
        {
            var checkpoint = (await store.ReadCheckpointAsync(cts.Token))!;
            var (models, firstWrite) = await RunAsync(store, checkpoint.Position, events, cts.Token);
            Assert.True(firstWrite > half, $"the first write on resume was at position {firstWrite}, within the {half} events already written");
            resumed = await DumpAsync(database, schema, cts.Token);
            Assert.Equal(Expected(models), resumed);

            // A rebuild from zero deletes and rewrites them all, with the same result.
            var documents = models.Engine.Get<DocumentsProjection>();
            var writer = new DocumentsWriter(documents, store);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            var running = writer.RunAsync(null, stop.Token);
            models.Rebuild(events);
            await documents.AtLeastAsync(events.Count, cts.Token);
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
            Assert.Equal(resumed, await DumpAsync(database, schema, cts.Token));
        }

        // And so does a fresh engine from zero on an emptied schema.
        await using (var store = await ReadModelDocumentStore.OpenAsync(database, schema, cts.Token))
        {
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync(cts.Token);
                await using var drop = new NpgsqlCommand($"DELETE FROM {schema}.mt_doc_agent; DELETE FROM {schema}.mt_doc_task; DELETE FROM {schema}.mt_doc_documents_checkpoint;", connection);
                await drop.ExecuteNonQueryAsync(cts.Token);
            }

            await RunAsync(store, checkpoint: 0, events, cts.Token);
            Assert.Equal(resumed, await DumpAsync(database, schema, cts.Token));
        }
    }

    /// <summary>Feeds the events, writing after every few; returns the read models and the position of the first write.</summary>
    private static async Task<(ReadModels Models, long FirstWrite)> RunAsync(ReadModelDocumentStore store, long checkpoint, IEnumerable<CommittedEvent> events, CancellationToken ct)
    {
        var models = new ReadModels(dependents: m => [new DocumentsProjection(m.Agents, m.Tasks, checkpoint)]);
        var documents = models.Engine.Get<DocumentsProjection>();
        long firstWrite = 0;
        foreach (var chunk in events.Chunk(9))
        {
            models.Engine.ApplyAll(chunk);
            if (documents.TakeBatch() is { } batch)
            {
                firstWrite = firstWrite == 0 ? batch.Position : firstWrite;
                await store.WriteAsync(batch, ct);
                documents.Written(batch);
            }
        }

        Assert.Empty(models.Engine.Failures());
        Assert.Equal(models.Engine.Position, documents.Position);
        return (models, firstWrite);
    }

    private static string Expected(ReadModels models)
    {
        var text = new StringBuilder();
        foreach (var agent in models.Agents.Agents.Values.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            text.Append("agent ").Append(agent.Id).Append(' ').Append(agent.Hostname).Append(' ').Append(agent.State).Append(' ').Append(agent.Used.Text).Append('\n');
        }

        foreach (var task in models.Tasks.Tasks.Values.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            text.Append("task ").Append(task.Key).Append(' ').Append(task.State).Append(' ').Append(task.Statuses.Count).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The documents as SQL sees them, in the same form as <see cref="Expected"/>.</summary>
    private static async Task<string> DumpAsync(string database, string schema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        var text = new StringBuilder();
        foreach (var row in await QueryAsync(connection, $"SELECT id, data->>'hostname', data->>'state', data->'used'->>'text' FROM {schema}.mt_doc_agent ORDER BY id COLLATE \"C\";", ct))
        {
            text.Append("agent ").AppendJoin(' ', row).Append('\n');
        }

        foreach (var row in await QueryAsync(connection, $"SELECT id, data->>'state', jsonb_array_length(data->'statuses') FROM {schema}.mt_doc_task ORDER BY id COLLATE \"C\";", ct))
        {
            text.Append("task ").AppendJoin(' ', row).Append('\n');
        }

        return text.ToString();
    }

    private static async Task<List<object[]>> QueryAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<object[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
