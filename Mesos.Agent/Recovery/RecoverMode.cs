namespace Mesos.Agent.Recovery;

/// <summary>Mesos' <c>--recover</c>: what a starting agent does with the tasks a previous run checkpointed.</summary>
public enum RecoverMode
{
    /// <summary>Re-attach to the tasks still running and re-register with the same agent id.</summary>
    Reconnect = 0,

    /// <summary>Kill every checkpointed task, forget the checkpoints and the agent id, and exit.</summary>
    Cleanup = 1,
}
