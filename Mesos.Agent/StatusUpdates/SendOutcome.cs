namespace Mesos.Agent.StatusUpdates;

public enum SendOutcome
{
    /// <summary>The master made the update durable; it stays queued until the framework acknowledges it.</summary>
    Accepted = 0,

    /// <summary>The master refused the update for good (e.g. it contradicts what the master knows): drop it.</summary>
    Rejected = 1,

    /// <summary>No master got it (not attached, timed out, connection lost): send it again later.</summary>
    Unavailable = 2,
}
