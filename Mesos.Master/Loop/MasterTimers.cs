using Mesos.Core.Commands;
using Mesos.Master.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Master.Loop;

/// <summary>
/// Time-driven behaviour lives at the edge of the loop: when a timer fires, it submits a command, and decide
/// records what happened as events (agents unreachable, frameworks expired, offers rescinded, offers made).
/// The fold never asks the time.
/// </summary>
public sealed class MasterTimers(
    MasterLoop loop,
    ClusterStateHolder holder,
    AllocationTrigger trigger,
    MasterOptions options,
    MasterRuntime runtime,
    TimeProvider clock,
    ILogger<MasterTimers> logger) : BackgroundService
{
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(AllocateAsync(stoppingToken), HousekeepAsync(stoppingToken));

    private async Task AllocateAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await trigger.WaitAsync(options.AllocationInterval, ct).ConfigureAwait(false);
                if (holder.Current.State.Master is null)
                {
                    continue;
                }

                // The seed is the log position: an audit that replays the log to this point derives the same one.
                await loop.SubmitAsync(new RunAllocation(holder.Current.Position) { Principal = "master" }).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (InvalidOperationException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Allocation cycle failed");
            }
        }
    }

    private async Task HousekeepAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(HousekeepingInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                if (holder.Current.State.Master is null)
                {
                    continue;
                }

                await Run(new CheckAgentHealth(options.AgentUnreachableAfter)
                {
                    Principal = "master",
                    ElectedAt = runtime.ElectedAt,
                    ReregisterTimeout = options.AgentReregisterTimeout,
                }).ConfigureAwait(false);
                // Frameworks found at the election get the same window as agents: Mesos' --agent_reregister_timeout.
                await Run(new ExpireFrameworks(options.AgentReregisterTimeout) { Principal = "master" }).ConfigureAwait(false);
                if (options.OfferTimeout is { } offerTimeout)
                {
                    await Run(new ExpireOffers(offerTimeout) { Principal = "master" }).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Run(MasterCommand command)
    {
        try
        {
            await loop.SubmitAsync(command).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Stopping.
        }
    }
}
