using Mesos.Agent.Isolation;

namespace Mesos.Agent.Containerizer;

/// <summary>
/// Mesos' containerizer with cgroups isolators: each container gets its own cgroups (cpu shares and CFS quota
/// from <c>cpus</c>, a memory limit from <c>mem</c>, a freezer), which its supervisor joins before it starts the
/// task; the process itself is launched as by the posix containerizer.
/// </summary>
public sealed class CgroupsContainerizer(IsolationConfig isolation) : IContainerizer
{
    private readonly PosixContainerizer _launcher = new();

    public IsolationConfig Isolation { get; } = isolation.UsesCgroups
        ? isolation
        : throw new ArgumentException("no cgroups isolator is active", nameof(isolation));

    public async Task<IContainer> LaunchAsync(ContainerConfig config, CancellationToken cancellationToken)
    {
        var cgroups = ContainerCgroups.For(Isolation, config.ContainerId);
        cgroups.Create(config.Cpus, config.MemoryMegabytes, Isolation.EnableCfs);
        IContainer inner;
        try
        {
            inner = await _launcher.LaunchAsync(config with { EnterCgroups = cgroups.ProcsFiles }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await cgroups.KillAllAsync(CancellationToken.None).ConfigureAwait(false);
            cgroups.Remove();
            throw;
        }

        return new CgroupsContainer(inner, cgroups);
    }

    /// <summary>Re-attaches to a container a previous run of the agent launched, killing through its cgroups when they are still there.</summary>
    public IContainer Reattach(IContainer recovered)
    {
        var cgroups = ContainerCgroups.For(Isolation, recovered.ContainerId);
        return cgroups.Exists ? new CgroupsContainer(recovered, cgroups) : recovered;
    }
}
