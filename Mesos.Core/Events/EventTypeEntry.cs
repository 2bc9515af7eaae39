namespace Mesos.Core.Events;

public sealed record EventTypeEntry(string Name, int Version, Type Type);
