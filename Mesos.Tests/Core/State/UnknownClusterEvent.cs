using Mesos.Core.Events;

namespace Mesos.Tests.Core.State;

/// <summary>An event type the fold has never heard of, as a log written by a newer version would contain.</summary>
internal sealed record UnknownClusterEvent(string Payload) : ClusterEvent;
