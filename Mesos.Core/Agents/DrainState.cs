namespace Mesos.Core.Agents;

/// <summary>Mesos' <c>DrainState</c> (mesos.proto): where an operator's DRAIN_AGENT has got to.</summary>
public enum DrainState
{
    /// <summary>Its tasks are being killed; the agent is deactivated (no offers).</summary>
    Draining = 1,

    /// <summary>Every task on it ended and the end was acknowledged; it stays deactivated until reactivated.</summary>
    Drained = 2,
}
