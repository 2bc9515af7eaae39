using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Commands;

/// <summary>The operator's DESTROY_VOLUMES: <paramref name="Volumes"/> are persistent volumes the agent holds.</summary>
public sealed record DestroyVolumes(AgentId AgentId, ResourceSet Volumes) : MasterCommand;
