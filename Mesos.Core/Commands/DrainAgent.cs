using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>
/// An operator's DRAIN_AGENT: the agent is deactivated, told to kill its tasks (each within
/// <see cref="MaxGracePeriodNanoseconds"/> when set), recorded DRAINED once they all ended and were acknowledged,
/// and then, with <see cref="MarkGone"/>, marked gone.
/// </summary>
public sealed record DrainAgent(AgentId AgentId, long? MaxGracePeriodNanoseconds, bool MarkGone) : MasterCommand;
