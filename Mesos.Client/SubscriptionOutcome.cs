namespace Mesos.Client;

/// <summary>
/// How one subscription attempt ended: whether it got as far as Subscribed, whether to stop, why it ended, and
/// whether the driver's own timer ended it (silence, or the initial connect deadline) rather than a failure.
/// </summary>
internal readonly record struct SubscriptionOutcome(bool Subscribed, bool Final, string Reason, bool TimedOut = false);
