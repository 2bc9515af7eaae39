using Mesos.EventLog.Marten;
using Mesos.Projections.Marten;

namespace Mesos.Master.ReadModels;

/// <summary>With the PostgreSQL registry: the read-model document store and the checkpoint its documents reflect at start.</summary>
public sealed class MasterDocuments(ReadModelDocumentStore store, long checkpoint, bool rebuild) : IAsyncDisposable
{
    public ReadModelDocumentStore Store => store;

    public long Checkpoint => checkpoint;

    /// <summary>Whether the stored documents are of another version, to be deleted and written again from the log.</summary>
    public bool Rebuild => rebuild;

    /// <exception cref="RegistryException">The database cannot be reached or the tables cannot be created.</exception>
    public static async Task<MasterDocuments> OpenAsync(string connectionString, CancellationToken ct)
    {
        ReadModelDocumentStore store;
        try
        {
            // The event log's schema: one schema holds a registry's log and what is projected from it.
            store = await ReadModelDocumentStore.OpenAsync(connectionString, new MartenEventLogOptions().Schema, ct).ConfigureAwait(false);
        }
        catch (Npgsql.NpgsqlException e)
        {
            throw new RegistryException(MartenEventLog.DescribeConnection(connectionString), "cannot create the read-model documents: " + e.Message, e);
        }

        try
        {
            var stored = await store.ReadCheckpointAsync(ct).ConfigureAwait(false);
            return stored is null
                ? new MasterDocuments(store, 0, rebuild: false)
                : new MasterDocuments(store, stored.Position, rebuild: stored.Version != DocumentsProjection.CurrentVersion);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => store.DisposeAsync();
}
