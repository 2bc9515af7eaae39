using System.Globalization;

namespace Mesos.Agent.Containerizer;

/// <summary>
/// A container a previous run of the agent launched and that is still running: not our child any more, so its end
/// is seen by polling /proc (pid and start time, so a reused pid is not mistaken for it) and its exit code is read
/// from what its supervisor wrote.
/// </summary>
public sealed class RecoveredContainer : IContainer
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly ulong _startTime;
    private readonly string _exitStatusPath;

    public RecoveredContainer(string containerId, int pid, ulong startTime, string exitStatusPath)
    {
        ContainerId = containerId;
        ProcessGroupId = pid;
        _startTime = startTime;
        _exitStatusPath = exitStatusPath;
        Exited = WatchAsync();
    }

    public string ContainerId { get; }

    public int ProcessGroupId { get; }

    public Task<ContainerExit> Exited { get; }

    public Task DestroyAsync(TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        PosixContainer.DestroyGroupAsync(ProcessGroupId, gracePeriod, Exited, cancellationToken);

    /// <summary>The exit the supervisor recorded, or null when it did not (it was SIGKILLed, or never started).</summary>
    public static ContainerExit? ReadExitStatus(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                ? ContainerExit.FromExitCode(code)
                : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private async Task<ContainerExit> WatchAsync()
    {
        while (ProcessTable.IsAlive(ProcessGroupId, _startTime))
        {
            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        // Only SIGKILL keeps the supervisor from recording the exit, and it took the task with it.
        return ReadExitStatus(_exitStatusPath) ?? new ContainerExit(null, PosixSignals.SigKill);
    }
}
