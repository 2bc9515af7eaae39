using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Commands;

/// <summary>The operator's UNRESERVE_RESOURCES: the last (dynamic) reservation of each of <paramref name="Resources"/> is popped.</summary>
public sealed record UnreserveResources(AgentId AgentId, ResourceSet Resources) : MasterCommand;
