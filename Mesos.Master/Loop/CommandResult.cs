using System.Collections.Immutable;
using Mesos.Core.Decisions;
using Mesos.Core.Events;

namespace Mesos.Master.Loop;

/// <summary>
/// What became of a command: the events it appended (durable by the time the caller sees this) and the
/// position of the last one, or the error decide gave.
/// </summary>
public sealed record CommandResult(ImmutableArray<ClusterEvent> Events, long Position, DecideError? Error)
{
    public bool IsError => Error is not null;
}
