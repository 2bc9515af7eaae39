namespace Mesos.Client;

/// <summary>How one subscription attempt ended: whether it got as far as Subscribed, whether to stop, and why it ended.</summary>
internal readonly record struct SubscriptionOutcome(bool Subscribed, bool Final, string Reason);
