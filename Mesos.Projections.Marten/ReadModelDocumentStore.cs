using System.Text.RegularExpressions;
using JasperFx;
using Marten;
using Marten.Services;
using Mesos.Projections.Marten.Documents;
using Npgsql;
using Weasel.Core;

namespace Mesos.Projections.Marten;

/// <summary>
/// The Marten document store holding the read-model documents (<c>mt_doc_agent</c>, <c>mt_doc_task</c> and their
/// checkpoint) in a PostgreSQL schema, beside the event log's tables.
/// </summary>
public sealed partial class ReadModelDocumentStore : IAsyncDisposable
{
    private const string AgentAlias = "agent";
    private const string TaskAlias = "task";

    private readonly NpgsqlDataSource dataSource;
    private readonly DocumentStore store;
    private readonly string schema;

    private ReadModelDocumentStore(NpgsqlDataSource dataSource, DocumentStore store, string schema)
    {
        this.dataSource = dataSource;
        this.store = store;
        this.schema = schema;
    }

    public string Schema => schema;

    /// <summary>Connects, and creates or updates the document tables in <paramref name="schema"/>.</summary>
    public static async Task<ReadModelDocumentStore> OpenAsync(string connectionString, string schema, CancellationToken ct)
    {
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"schema '{schema}' is not a plain PostgreSQL identifier (lower-case letters, digits, _)", nameof(schema));
        }

        var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        DocumentStore? store = null;
        try
        {
            store = DocumentStore.For(o =>
            {
                o.Connection(dataSource);
                o.DatabaseSchemaName = schema;
                o.UseSystemTextJsonForSerialization(casing: Casing.CamelCase);
                o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                o.Schema.For<AgentDocument>().DocumentAlias(AgentAlias);
                o.Schema.For<TaskDocument>().DocumentAlias(TaskAlias);
                o.Schema.For<DocumentsCheckpoint>().DocumentAlias("documents_checkpoint");
            });

            // Masters started together against a new database would otherwise race to create the same tables.
            await using var migration = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var transaction = await migration.BeginTransactionAsync(ct).ConfigureAwait(false);
            await LockAsync(migration, transaction, "mesos-documents-schema:" + schema, ct).ConfigureAwait(false);
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().WaitAsync(ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return new ReadModelDocumentStore(dataSource, store, schema);
        }
        catch
        {
            store?.Dispose();
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The stored checkpoint, or null when no document was ever written.</summary>
    public async Task<DocumentsCheckpoint?> ReadCheckpointAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<DocumentsCheckpoint>(DocumentsCheckpoint.Key, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the batch's documents and its checkpoint in one transaction. Several masters may run this (a deposed
    /// leader still draining, say): a lock taken in the transaction orders them, and a batch that is not newer than
    /// the stored checkpoint is dropped, so the documents never go back in time. Returns whether it was written.
    /// </summary>
    public async Task<bool> WriteAsync(DocumentBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await LockAsync(connection, transaction, "mesos-documents:" + schema, ct).ConfigureAwait(false);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction));
        var stored = await session.LoadAsync<DocumentsCheckpoint>(DocumentsCheckpoint.Key, ct).ConfigureAwait(false);
        if (!batch.ClearFirst && stored is not null && stored.Position >= batch.Position && stored.Version == DocumentsProjection.CurrentVersion)
        {
            return false;
        }

        if (batch.ClearFirst)
        {
            // Table names are Marten's mt_doc_ prefix and the aliases set in OpenAsync.
            await using var delete = new NpgsqlCommand($"DELETE FROM {schema}.mt_doc_{AgentAlias}; DELETE FROM {schema}.mt_doc_{TaskAlias};", connection, transaction);
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        session.Store(batch.AgentDocuments().ToArray());
        session.Store(batch.TaskDocuments().ToArray());
        session.Store(new DocumentsCheckpoint(DocumentsCheckpoint.Key, batch.Position, DocumentsProjection.CurrentVersion));
        await session.SaveChangesAsync(ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        store.Dispose();
        await dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, CancellationToken ct)
    {
        await using var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0));", connection, transaction);
        take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await take.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
