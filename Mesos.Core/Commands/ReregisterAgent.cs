using Mesos.Core.Agents;
using Mesos.Core.Collections;
using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>An agent the master gave an id comes back (after either side restarted) and says which tasks it still has.</summary>
public sealed record ReregisterAgent(AgentId AgentId, AgentInfo Info, ValueArray<ReportedTask> Tasks) : MasterCommand
{
    /// <summary>The IP the agent connects from: with its hostname, the machine maintenance knows it by.</summary>
    public string? Ip { get; init; }
}
