using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Commands;

/// <summary>The operator's SHRINK_VOLUME: <paramref name="Volume"/> (one persistent volume) gives <paramref name="Subtract"/> back.</summary>
public sealed record ShrinkVolume(AgentId AgentId, ResourceSet Volume, ScalarValue Subtract) : MasterCommand;
