using Grpc.Core;
using Mesos.Client;
using Mesos.Core.Resources;
using Mesos.Hosting.Flags;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Cli.Commands;

/// <summary>One run of <c>mesos execute</c>: reacts to offers and updates until the task ends.</summary>
internal sealed class ExecuteSession(
    CliConsole console, string taskId, string name, string command, string role, ResourceSet requested, TimeSpan? killAfter)
{
    // Long enough that an offer already on its way after the launch is not offered again right back.
    private const double RefuseAfterLaunchSeconds = 60;

    private volatile bool everSubscribed;
    private bool launched;
    private bool toldWaiting;
    private bool killScheduled;

    /// <summary>Whether the master has accepted the framework at least once (connection trouble is reported only after that).</summary>
    public bool EverSubscribed => everSubscribed;

    public async Task<int> ExecuteAsync(SchedulerDriver driver, CancellationToken cancellationToken)
    {
        await foreach (var next in driver.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (next.EventCase)
            {
                case SchedulerEvent.EventOneofCase.Subscribed:
                    if (!everSubscribed)
                    {
                        await console.Out.WriteLineAsync($"Subscribed with ID {next.Subscribed.FrameworkId}").ConfigureAwait(false);
                    }

                    everSubscribed = true;
                    break;

                case SchedulerEvent.EventOneofCase.Offers:
                    if (await OnOffersAsync(driver, next.Offers, cancellationToken).ConfigureAwait(false) is { } failed)
                    {
                        return failed;
                    }

                    break;

                case SchedulerEvent.EventOneofCase.Update:
                    if (await OnUpdateAsync(driver, next.Update.Status, cancellationToken).ConfigureAwait(false) is { } exitCode)
                    {
                        return exitCode;
                    }

                    break;

                case SchedulerEvent.EventOneofCase.Error:
                    await console.Error.WriteLineAsync($"Master reported an error: {next.Error.Message}").ConfigureAwait(false);
                    return 1;
            }
        }

        await console.Error.WriteLineAsync("The master ended the subscription before the task ended").ConfigureAwait(false);
        return 1;
    }

    private async Task<int?> OnOffersAsync(SchedulerDriver driver, SchedulerEvent.Types.Offers offers, CancellationToken cancellationToken)
    {
        var launchedBefore = launched;
        var declined = new List<string>();
        foreach (var offer in offers.Offers_)
        {
            if (launched || !ProtoResources.ToResourceSet(offer.Resources).Contains(requested))
            {
                declined.Add(offer.Id);
                continue;
            }

            var task = new TaskInfo
            {
                Name = name,
                TaskId = taskId,
                AgentId = offer.AgentId,
                Command = new CommandInfo { Value = command, Shell = true },
            };
            task.Resources.AddRange(ProtoResources.ToWire(requested, offer.AllocationInfo?.Role ?? role));
            try
            {
                await driver.AcceptAsync([offer.Id], [task], cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync($"Failed to launch task '{taskId}' on agent {offer.Hostname}: {RpcErrors.Describe(e)}").ConfigureAwait(false);
                await TeardownQuietlyAsync(driver).ConfigureAwait(false);
                return 1;
            }

            launched = true;
            await console.Out.WriteLineAsync($"Submitted task '{taskId}' to agent '{offer.AgentId}' ({offer.Hostname})").ConfigureAwait(false);
            await QuietlyAsync(() => driver.SuppressAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (!launched && !toldWaiting && offers.Offers_.Count > 0)
        {
            toldWaiting = true;
            await console.Out.WriteLineAsync($"Waiting for an offer with {requested} (offers so far hold less)").ConfigureAwait(false);
        }

        if (declined.Count > 0)
        {
            // Short refusal while waiting, so that resources freed elsewhere come back soon.
            var filters = new Filters { RefuseSeconds = launchedBefore ? RefuseAfterLaunchSeconds : 1 };
            await QuietlyAsync(() => driver.DeclineAsync(declined, filters, cancellationToken)).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<int?> OnUpdateAsync(SchedulerDriver driver, TaskStatus status, CancellationToken cancellationToken)
    {
        if (status.TaskId != taskId)
        {
            await QuietlyAsync(() => driver.AcknowledgeAsync(status, cancellationToken)).ConfigureAwait(false);
            return null;
        }

        await console.Out.WriteLineAsync(Describe(status)).ConfigureAwait(false);
        await QuietlyAsync(() => driver.AcknowledgeAsync(status, cancellationToken)).ConfigureAwait(false);

        if (status.State == TaskState.TaskRunning && killAfter is { } delay && !killScheduled)
        {
            killScheduled = true;
            _ = KillLaterAsync(driver, status.AgentId, delay, cancellationToken);
        }

        if (!TaskStates.IsTerminal(status.State))
        {
            return null;
        }

        await TeardownQuietlyAsync(driver).ConfigureAwait(false);
        if (status.State == TaskState.TaskFinished)
        {
            return 0;
        }

        await console.Error.WriteLineAsync($"Task '{taskId}' ended in {ProtoNames.Of(status.State)}").ConfigureAwait(false);
        return 1;
    }

    private async Task KillLaterAsync(SchedulerDriver driver, string agentId, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"Killing task '{taskId}' after {MesosDuration.Format(delay)}").ConfigureAwait(false);
            await driver.KillAsync(taskId, agentId, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            await console.Error.WriteLineAsync($"Failed to kill task '{taskId}': {e.Message}").ConfigureAwait(false);
        }
    }

    // Calls whose failure the task's outcome does not hinge on: an offer left undeclined times out, an update
    // left unacknowledged is sent again, and the implicit reconciliation after a re-subscription covers the rest.
    private async Task QuietlyAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            await console.Error.WriteLineAsync($"Warning: call to the master failed: {RpcErrors.Describe(e)}").ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The driver stopped: the event loop ends right after.
        }
    }

    // Best effort: the framework would go away after failover_timeout anyway.
    internal static async Task TeardownQuietlyAsync(SchedulerDriver driver)
    {
        if (driver.FrameworkId is null)
        {
            return;
        }

        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await driver.TeardownAsync(bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    /// <summary>One line per update: state, task, source, and reason and message when the update has them.</summary>
    internal static string Describe(TaskStatus status)
    {
        var line = $"Received status update {ProtoNames.Of(status.State)} for task '{status.TaskId}' (source: {ProtoNames.Of(status.Source)}";
        if (status.HasReason)
        {
            line += $", reason: {ProtoNames.Of(status.Reason)}";
        }

        line += ")";
        return string.IsNullOrEmpty(status.Message) ? line : $"{line}: {status.Message.ReplaceLineEndings(" ")}";
    }
}
