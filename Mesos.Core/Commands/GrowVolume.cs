using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Commands;

/// <summary>The operator's GROW_VOLUME: <paramref name="Volume"/> (one persistent volume) takes in <paramref name="Addition"/>.</summary>
public sealed record GrowVolume(AgentId AgentId, ResourceSet Volume, ResourceSet Addition) : MasterCommand;
