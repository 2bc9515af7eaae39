using Mesos.Protocol.V1;

namespace Mesos.Client;

/// <summary>Read-only queries and operator actions against the master (the <c>Operator</c> gRPC service).</summary>
public sealed class OperatorClient(MasterConnection connection)
{
    /// <summary>Bound on one call; the master serves state from a projection, so this is generous.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>
    /// The cluster state (agents, frameworks, tasks), once the master's read model has reached
    /// <paramref name="minPosition"/> in the event log (0: whatever it has now).
    /// </summary>
    public Task<ClusterStateReply> GetStateAsync(long minPosition = 0, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync(
            async (channel, ct) => await new Operator.OperatorClient(channel)
                .GetStateAsync(new GetStateRequest { MinPosition = minPosition }, deadline: Deadline(), cancellationToken: ct)
                .ConfigureAwait(false),
            cancellationToken);

    /// <summary>Removes a framework: its tasks are killed and its executors shut down.</summary>
    public Task TeardownFrameworkAsync(string frameworkId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync(
            async (channel, ct) => await new Operator.OperatorClient(channel)
                .TeardownFrameworkAsync(new TeardownFrameworkRequest { FrameworkId = frameworkId }, deadline: Deadline(), cancellationToken: ct)
                .ConfigureAwait(false),
            cancellationToken);

    /// <summary>Why the latest allocation cycle did or did not offer resources to a framework and/or of an agent.</summary>
    public Task<ExplainAllocationReply> ExplainAllocationAsync(string? frameworkId, string? agentId, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync(
            async (channel, ct) => await new Operator.OperatorClient(channel)
                .ExplainAllocationAsync(new ExplainAllocationRequest { FrameworkId = frameworkId ?? string.Empty, AgentId = agentId ?? string.Empty }, deadline: Deadline(), cancellationToken: ct)
                .ConfigureAwait(false),
            cancellationToken);

    private DateTime Deadline() => DateTime.UtcNow + CallTimeout;
}
