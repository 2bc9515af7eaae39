using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Commands;

/// <summary>The operator's CREATE_VOLUMES: <paramref name="Volumes"/> are reserved disk carrying the volume to create.</summary>
public sealed record CreateVolumes(AgentId AgentId, ResourceSet Volumes) : MasterCommand;
