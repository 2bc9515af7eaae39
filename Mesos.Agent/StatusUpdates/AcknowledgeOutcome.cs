namespace Mesos.Agent.StatusUpdates;

public enum AcknowledgeOutcome
{
    /// <summary>The head of the task's stream was acknowledged; the next update (if any) goes out now.</summary>
    Acknowledged = 0,

    /// <summary>The terminal update was acknowledged: the stream is closed and the task can be forgotten.</summary>
    StreamClosed = 1,

    /// <summary>No such task stream, or the uuid is not its head (a duplicate or stale acknowledgement).</summary>
    Ignored = 2,
}
