using Mesos.Core.Agents;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.Resources;

namespace Mesos.Core.State;

/// <summary>
/// An agent as the master knows it. <see cref="Used"/> and <see cref="Offered"/> are kept by the fold as tasks
/// and offers come and go, so the allocator reads what is free without walking every task. <see cref="Deactivated"/>
/// is an operator's decision and outlives disconnections and re-registrations, as in Mesos' registry; so is
/// <see cref="Drain"/> (a draining or drained agent is also deactivated).
/// </summary>
public sealed record AgentState(
    AgentId Id,
    AgentInfo Info,
    AgentStatus Status,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? ReregisteredAt,
    DateTimeOffset LastSeen,
    ResourceSet Used,
    ResourceSet Offered,
    bool Deactivated = false,
    AgentDrain? Drain = null)
{
    /// <summary>Whether the allocator may offer its resources: active, and not deactivated by an operator.</summary>
    public bool Offerable => Status == AgentStatus.Active && !Deactivated;

    /// <summary>The IP the agent's connection came from (Mesos takes it from the agent's pid); null until recorded.</summary>
    public string? Ip { get; init; }

    /// <summary>The machine it runs on, as Mesos names it for maintenance: its hostname and IP.</summary>
    public MachineId Machine => new(Info.Hostname, Ip ?? string.Empty);

    public ResourceSet Available => Info.Resources.Subtract(Used).Subtract(Offered);
}
