using Mesos.EventLog.Port;
using Mesos.Master.Loop;
using Mesos.Projections.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Master.ReadModels;

/// <summary>
/// Tails the event log into the read models, from position 0 at start (they live in memory and are rebuilt from
/// the log), then each event as it is committed. It reads the log rather than the loop's notifications, so the
/// read side sees exactly what is durable and never slows the writer.
/// </summary>
public sealed class ProjectionFeeder(
    IEventLog log,
    Projections.ReadModels models,
    ClusterStateHolder holder,
    TimeProvider clock,
    ILogger<ProjectionFeeder> logger) : BackgroundService
{
    private long delayTicks;
    private int failuresReported;

    /// <summary>Committed events the read models have not applied yet.</summary>
    public long LagEvents => Math.Max(0, holder.Current.Position - models.Engine.Position);

    /// <summary>Seconds between the master stamping the last applied event and the read models applying it.</summary>
    public double LagSeconds => TimeSpan.FromTicks(Interlocked.Read(ref delayTicks)).TotalSeconds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting before a possibly long rebuild takes this thread.
        await Task.Yield();
        try
        {
            await foreach (var recorded in log.TailAsync(models.Engine.Position, stoppingToken).ConfigureAwait(false))
            {
                models.Engine.Apply(new CommittedEvent(recorded.Position, recorded.Event));
                Interlocked.Exchange(ref delayTicks, Math.Max(0, (clock.GetUtcNow() - recorded.Event.At).Ticks));
                var failures = models.Engine.Failures();
                if (failures.Length > failuresReported)
                {
                    foreach (var failure in failures.Skip(failuresReported))
                    {
                        logger.LogError("Read model stopped: {Failure}", failure);
                    }

                    failuresReported = failures.Length;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
