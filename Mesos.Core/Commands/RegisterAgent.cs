using Mesos.Core.Agents;

namespace Mesos.Core.Commands;

/// <summary>A new agent asks to join; the master mints its id.</summary>
public sealed record RegisterAgent(AgentInfo Info) : MasterCommand
{
    /// <summary>The IP the agent connects from: with its hostname, the machine maintenance knows it by.</summary>
    public string? Ip { get; init; }
}
