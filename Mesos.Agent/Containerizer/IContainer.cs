namespace Mesos.Agent.Containerizer;

/// <summary>A launched container: its processes, how to wait for the main one and how to tear all of them down.</summary>
public interface IContainer
{
    string ContainerId { get; }

    /// <summary>The main process id, which is also the id of the process group every descendant starts in.</summary>
    int ProcessGroupId { get; }

    /// <summary>Completes when the main process exits.</summary>
    Task<ContainerExit> Exited { get; }

    /// <summary>
    /// Asks every process to stop (SIGTERM), waits up to <paramref name="gracePeriod"/> for them to go, then kills
    /// what is left (SIGKILL). Safe to call after the main process exited: it reaps stragglers it left behind.
    /// </summary>
    Task DestroyAsync(TimeSpan gracePeriod, CancellationToken cancellationToken);
}
