using Mesos.Core.State;

namespace Mesos.Master.Loop;

/// <summary>The folded state as of log position <see cref="Position"/>. Immutable: readers hold it without locks.</summary>
public sealed class ClusterSnapshot(ClusterState state, long position)
{
    private string? hash;

    public ClusterState State { get; } = state;

    public long Position { get; } = position;

    /// <summary>Computed on first use: hashing walks the whole state, and most snapshots are never asked.</summary>
    public string Hash => hash ??= StateHash.Compute(State);
}
