using Microsoft.Extensions.Hosting;

namespace Mesos.Agent.Http;

/// <summary>
/// The HTTP host must not take over SIGTERM/Ctrl+C: the agent's owner (the <c>mesos</c> command, or a test)
/// decides when it stops, and several agents may share one process in tests.
/// </summary>
internal sealed class NoSignalsHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
