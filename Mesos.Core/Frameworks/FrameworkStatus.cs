namespace Mesos.Core.Frameworks;

public enum FrameworkStatus
{
    /// <summary>Subscribed with a live event stream.</summary>
    Active = 0,

    /// <summary>Its stream broke (or the master restarted): no offers until it re-subscribes within its failover timeout.</summary>
    Disconnected = 1,

    Removed = 2,
}
