using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading.Channels;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.EventLog.Port;
using Mesos.Master.Allocation;
using Mesos.Master.Notify;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Master.Loop;

/// <summary>
/// The one writer: command -> decide -> append -> apply -> notify. Commands that queue up while a batch is being
/// written are decided together, each against the state left by the ones before it, and appended in one
/// transaction; nothing is sent to an agent or framework until that transaction is durable.
/// </summary>
public sealed class MasterLoop(
    IEventLog log,
    ClusterDecider decider,
    ClusterStateHolder holder,
    OutboundRouter router,
    AllocationTrigger allocationTrigger,
    AllocationRecorder allocations,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<MasterLoop> logger) : BackgroundService
{
    private const int MaxCommandsPerBatch = 512;

    private int stopReported;
    private int queued;
    private volatile string? failure;

    private readonly Channel<PendingCommand> inbox = Channel.CreateUnbounded<PendingCommand>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Why the loop stopped the master (a failed or fenced append); null while it has not. The process exits non-zero then.</summary>
    public string? Failure => failure;

    /// <summary>Commands waiting to be decided (Mesos' <c>event_queue_dispatches</c>).</summary>
    public int QueueLength => Math.Max(0, Volatile.Read(ref queued));

    public Task<CommandResult> SubmitAsync(MasterCommand command, Action<CommandResult>? onCommitted = null)
    {
        var pending = new PendingCommand(command, onCommitted);
        Interlocked.Increment(ref queued);
        if (!inbox.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref queued);
            pending.Completion.SetException(new InvalidOperationException("The master is shutting down"));
        }

        return pending.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingCommand>(MaxCommandsPerBatch);
        try
        {
            while (await inbox.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxCommandsPerBatch && inbox.Reader.TryRead(out var pending))
                {
                    Interlocked.Decrement(ref queued);
                    batch.Add(pending);
                }

                await ProcessAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            inbox.Writer.TryComplete();
            while (inbox.Reader.TryRead(out var left))
            {
                left.Completion.TrySetException(new InvalidOperationException("The master is shutting down"));
            }
        }
    }

    private async Task ProcessAsync(List<PendingCommand> batch, CancellationToken ct)
    {
        var before = holder.Current;
        var state = before.State;
        var now = clock.GetUtcNow();
        var decided = new List<(PendingCommand Pending, Decision Decision)>(batch.Count);
        var events = new List<ClusterEvent>();
        foreach (var pending in batch)
        {
            Decision decision;
            try
            {
                var started = Stopwatch.GetTimestamp();
                decision = decider.Decide(state, pending.Command, now);
                if (pending.Command is RunAllocation run)
                {
                    // Kept whether or not it offers anything: explanations re-run the latest cycle from this input.
                    var offers = decision.IsError ? 0 : decision.Events.Count(e => e is OfferMade);
                    allocations.Record(
                        new AllocationCycleInput(state, now, run.Seed, before.Position + events.Count, offers),
                        Stopwatch.GetElapsedTime(started),
                        Stopwatch.GetElapsedTime(pending.QueuedAt, started));
                }
            }
            catch (Exception ex)
            {
                // A bug in decide must not take the loop down with it, nor leave the caller waiting.
                logger.LogError(ex, "Deciding {Command} failed", pending.Command.GetType().Name);
                pending.Completion.TrySetException(ex);
                continue;
            }

            decided.Add((pending, decision));
            if (!decision.IsError && decision.Events.Length > 0)
            {
                state = ClusterFold.ApplyAll(state, decision.Events);
                events.AddRange(decision.Events);
            }
        }

        var position = before.Position;
        if (events.Count > 0)
        {
            AppendResult appended;
            try
            {
                appended = await log.AppendAsync(events, before.Position, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                FailStop(decided, $"appending to the event log failed: {ex.Message}", ex);
                return;
            }

            if (appended is AppendResult.Conflict conflict)
            {
                // Another writer moved the log: this master is no longer the one writer. Stop rather than act
                // on a state that is not the log's.
                var reason = $"the event log is at position {conflict.Actual}, not {conflict.Expected}: another master is writing";
                FailStop(decided, reason, null, new LogFencedException("The master could not record this: " + reason));
                return;
            }

            position = ((AppendResult.Appended)appended).LastPosition;
            holder.Publish(new ClusterSnapshot(state, position));
        }

        var results = new List<(PendingCommand Pending, CommandResult Result)>(decided.Count);
        var offset = before.Position;
        foreach (var (pending, decision) in decided)
        {
            offset += decision.IsError ? 0 : decision.Events.Length;
            results.Add((pending, new CommandResult(decision.IsError ? ImmutableArray<ClusterEvent>.Empty : decision.Events, offset, decision.Error)));
        }

        foreach (var (pending, result) in results)
        {
            if (!result.IsError && pending.OnCommitted is { } onCommitted)
            {
                try
                {
                    onCommitted(result);
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Post-commit step of {Command} failed", pending.Command.GetType().Name);
                }
            }
        }

        if (events.Count > 0)
        {
            router.Route(before.State, state, events);
            if (events.Any(FreesOrWantsResources))
            {
                allocationTrigger.Request();
            }
        }

        foreach (var (pending, result) in results)
        {
            pending.Completion.TrySetResult(result);
        }
    }

    /// <summary>Events after which an allocation cycle should not wait for the next interval.</summary>
    private static bool FreesOrWantsResources(ClusterEvent e) => e switch
    {
        TaskStatusUpdated u => Core.Tasks.TaskStateMachine.IsTerminal(u.Status.State),
        FrameworkSubscribed or FrameworkRevived or FrameworkUpdated or AgentRegistered or AgentReregistered => true,

        // A schedule change rescinds the offers of the machines it touches; new ones carry the unavailability.
        MaintenanceScheduleUpdated => true,
        _ => false,
    };

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // The host stops its services again when the server is disposed after a signal; say it once.
        if (Interlocked.Exchange(ref stopReported, 1) == 1)
        {
            return;
        }

        var last = holder.Current;
        logger.LogInformation("Master loop stopped at log position {Position}; state hash {Hash}", last.Position, last.Hash);
    }

    private void FailStop(List<(PendingCommand Pending, Decision Decision)> decided, string reason, Exception? ex, InvalidOperationException? error = null)
    {
        logger.LogCritical(ex, "Master stopping: {Reason}", reason);
        foreach (var (pending, _) in decided)
        {
            pending.Completion.TrySetException(error ?? new InvalidOperationException("The master could not record this: " + reason));
        }

        failure = reason;
        lifetime.StopApplication();
    }
}
