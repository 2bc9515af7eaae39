using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Commands;

/// <summary>The operator's RESERVE_RESOURCES: <paramref name="Resources"/> carry the reservation to push.</summary>
public sealed record ReserveResources(AgentId AgentId, ResourceSet Resources) : MasterCommand;
