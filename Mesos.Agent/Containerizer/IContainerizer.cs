namespace Mesos.Agent.Containerizer;

/// <summary>
/// Runs a command in a sandbox so that all its processes can be found and killed. The posix one uses a
/// process group; an isolating one (cgroups, namespaces) can replace it behind this interface.
/// </summary>
public interface IContainerizer
{
    /// <summary>Starts the container; throws <see cref="ContainerLaunchException"/> when it cannot.</summary>
    Task<IContainer> LaunchAsync(ContainerConfig config, CancellationToken cancellationToken);
}
