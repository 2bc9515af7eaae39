namespace Mesos.Client;

/// <summary>No master in the list answered within the allowed time.</summary>
public sealed class MasterUnreachableException(string masters, string reason)
    : Exception($"Failed to connect to master at {masters}: {reason}")
{
    /// <summary>The master address as given (<c>host:port</c> or a list).</summary>
    public string Masters { get; } = masters;

    /// <summary>The last reason a connection failed, for example "Connection refused".</summary>
    public string Reason { get; } = reason;
}
