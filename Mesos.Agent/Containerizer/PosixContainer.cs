using System.Diagnostics;

namespace Mesos.Agent.Containerizer;

/// <summary>One task's process group, led by the process <c>setsid</c> turned into <c>/bin/sh</c>.</summary>
public sealed class PosixContainer : IContainer
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process;

    internal PosixContainer(string containerId, Process process)
    {
        ContainerId = containerId;
        _process = process;
        ProcessGroupId = process.Id;
        Exited = WaitForExitAsync();
    }

    public string ContainerId { get; }

    public int ProcessGroupId { get; }

    public Task<ContainerExit> Exited { get; }

    public Task DestroyAsync(TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        DestroyGroupAsync(ProcessGroupId, gracePeriod, Exited, cancellationToken);

    /// <summary>SIGTERM to the group, SIGKILL to whatever is left after the grace period, then waits for the main process.</summary>
    internal static async Task DestroyGroupAsync(int processGroupId, TimeSpan gracePeriod, Task exited, CancellationToken cancellationToken)
    {
        if (ProcessTable.LiveMembersOfGroup(processGroupId).Count == 0)
        {
            return;
        }

        PosixSignals.SignalGroup(processGroupId, PosixSignals.SigTerm);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < gracePeriod && ProcessTable.LiveMembersOfGroup(processGroupId).Count > 0)
        {
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        PosixSignals.SignalGroup(processGroupId, PosixSignals.SigKill);
        await exited.WaitAsync(cancellationToken).ConfigureAwait(false);

        // SIGKILL is delivered asynchronously: a straggler (not the main process) may still show as running for a
        // moment, and "destroyed" should mean nothing of the container is left.
        var settling = Stopwatch.StartNew();
        while (settling.Elapsed < TimeSpan.FromSeconds(5) && ProcessTable.LiveMembersOfGroup(processGroupId).Count > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Until setsid has run, the child is still in the agent's process group and a group kill would miss it,
    /// so the launch is not reported as done before the child leads its own group (or has already exited).
    /// </summary>
    internal async Task WaitUntilOwnGroupAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!Exited.IsCompleted && ProcessTable.ProcessGroupOf(ProcessGroupId) is { } group && group != ProcessGroupId)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new ContainerLaunchException($"Process {ProcessGroupId} did not become a process group leader");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ContainerExit> WaitForExitAsync()
    {
        using (_process)
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            return ContainerExit.FromExitCode(_process.ExitCode);
        }
    }
}
