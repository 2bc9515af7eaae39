namespace Mesos.Client;

/// <summary>How <see cref="MasterConnection"/> reaches masters.</summary>
public sealed record MasterConnectionOptions
{
    /// <summary>
    /// Bound on opening a TCP connection. Without it a master behind a black hole would hold a call for the
    /// kernel's SYN retries (minutes) instead of letting the next master in the list answer.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest reply accepted; GetState of a big cluster exceeds gRPC's 4 MB default. Null: no limit.</summary>
    public int? MaxReceiveMessageSize { get; init; }
}
