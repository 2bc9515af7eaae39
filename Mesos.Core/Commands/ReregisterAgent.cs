using Mesos.Core.Agents;
using Mesos.Core.Collections;
using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>An agent the master gave an id comes back (after either side restarted) and says which tasks it still has.</summary>
public sealed record ReregisterAgent(AgentId AgentId, AgentInfo Info, ValueArray<ReportedTask> Tasks) : MasterCommand;
