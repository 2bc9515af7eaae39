namespace Mesos.Client;

/// <summary>Reconnect and liveness settings of <see cref="SchedulerDriver"/>; the defaults follow Mesos' guidance for v1 schedulers.</summary>
public sealed record SchedulerDriverOptions
{
    /// <summary>First wait before re-subscribing after the event stream broke; doubles on each failed attempt.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap of the doubling wait between re-subscription attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Heartbeats that may be missed before the stream counts as dead (Mesos suggests 5, about 75 s).</summary>
    public int MissedHeartbeats { get; init; } = 5;

    /// <summary>The heartbeat interval assumed until <c>Subscribed</c> announces the master's own.</summary>
    public TimeSpan DefaultHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long to keep trying before the first subscription succeeds; then the event stream fails with
    /// <see cref="MasterUnreachableException"/>. Null: keep trying. Once subscribed, the driver always keeps
    /// re-subscribing, because a master restart must not end a framework.
    /// </summary>
    public TimeSpan? InitialConnectTimeout { get; init; }

    /// <summary>Bound on each call (Accept, Decline, ...), as Mesos suggests for non-stream calls.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Whether to ask for an implicit reconciliation after subscribing with a known framework id.</summary>
    public bool ReconcileOnResubscribe { get; init; } = true;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives one line per connection event (lost stream, retry, re-subscribed), for a log; the library writes nothing itself.</summary>
    public Action<string>? Diagnostics { get; init; }
}
