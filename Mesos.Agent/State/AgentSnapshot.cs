namespace Mesos.Agent.State;

/// <summary>The agent's state as seen under its lock; valid only inside <see cref="AgentCore.Read{T}"/>.</summary>
internal sealed record AgentSnapshot(
    string? AgentId,
    string? Master,
    IReadOnlyList<FrameworkEntry> Frameworks,
    IReadOnlyList<FrameworkEntry> CompletedFrameworks);
