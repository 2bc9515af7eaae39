using Mesos.Projections.Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Master.ReadModels;

/// <summary>Runs the writer of the read-model documents (PostgreSQL registry only) beside the projection feeder.</summary>
public sealed class DocumentsWriterService(Projections.ReadModels models, MasterDocuments documents, ILogger<DocumentsWriterService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var writer = new DocumentsWriter(models.Engine.Get<DocumentsProjection>(), documents.Store);
        try
        {
            await writer.RunAsync(e => logger.LogWarning("Writing the read-model documents failed (retrying): {Error}", e.Message), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
