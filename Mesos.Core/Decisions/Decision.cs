using System.Collections.Immutable;
using Mesos.Core.Events;

namespace Mesos.Core.Decisions;

/// <summary>The outcome of decide: the events to append (possibly none), or why the command was refused.</summary>
public readonly record struct Decision(ImmutableArray<ClusterEvent> Events, DecideError? Error)
{
    public static Decision None => new(ImmutableArray<ClusterEvent>.Empty, null);

    public bool IsError => Error is not null;

    public static Decision Of(params IEnumerable<ClusterEvent> events) => new([.. events], null);

    public static Decision Fail(DecideErrorKind kind, string message) => new(ImmutableArray<ClusterEvent>.Empty, new DecideError(kind, message));

    public static implicit operator Decision(DecideError error) => new(ImmutableArray<ClusterEvent>.Empty, error);
}
