using Mesos.Core.Events;

namespace Mesos.Tests.EventLog;

/// <summary>An event no catalogue knows, so that an append of it must fail before anything is written.</summary>
internal sealed record NotCataloguedEvent(string Note) : ClusterEvent;
