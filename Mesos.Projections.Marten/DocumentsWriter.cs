namespace Mesos.Projections.Marten;

/// <summary>
/// Writes what <see cref="DocumentsProjection"/> has pending, batch after batch, while the engine goes on: under
/// load a batch covers many events. A failed write (the database away) is retried with the next batch, which then
/// carries both; nothing is skipped.
/// </summary>
public sealed class DocumentsWriter(DocumentsProjection projection, ReadModelDocumentStore store)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The last write error, cleared by the next successful write.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Runs until cancelled; <paramref name="onError"/> hears each failed write (it is retried).</summary>
    public async Task RunAsync(Action<Exception>? onError, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var changed = projection.ChangedAsync(ct);
            var batch = projection.TakeBatch();
            if (batch is null)
            {
                await changed.ConfigureAwait(false);
                continue;
            }

            try
            {
                await store.WriteAsync(batch, ct).ConfigureAwait(false);
                projection.Written(batch);
                LastError = null;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                projection.Requeue(batch);
                LastError = e;
                onError?.Invoke(e);
                await Task.Delay(RetryAfter, ct).ConfigureAwait(false);
            }
        }
    }
}
