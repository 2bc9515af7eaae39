using Mesos.Core.State;
using Mesos.Projections.Engine;

namespace Mesos.Projections.TimeTravel;

/// <summary>
/// The cluster state every <c>every</c> positions, kept in memory so that the state as of any position is a
/// checkpoint plus a short fold, not a replay from zero. Immutable states share structure, so a checkpoint costs
/// what changed since the one before. When there are too many, every other one is dropped.
/// </summary>
public sealed class StateCheckpoints(int every)
{
    private readonly int initialSpacing = every;

    private const int MaxCheckpoints = 512;

    private readonly object gate = new();
    private readonly SortedList<long, ClusterState> states = [];
    private int spacing = every;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return states.Count;
            }
        }
    }

    internal void Offer(long position, ClusterState state)
    {
        if (position % spacing != 0)
        {
            return;
        }

        lock (gate)
        {
            states[position] = state;
            if (states.Count > MaxCheckpoints)
            {
                spacing *= 2;
                foreach (var key in states.Keys.Where(k => k % spacing != 0).ToList())
                {
                    states.Remove(key);
                }
            }
        }
    }

    internal void Clear()
    {
        lock (gate)
        {
            states.Clear();
            spacing = initialSpacing;
        }
    }

    /// <summary>The latest checkpoint at or before <paramref name="position"/> (position 0: the empty state).</summary>
    public (long Position, ClusterState State) Nearest(long position)
    {
        lock (gate)
        {
            var keys = states.Keys;
            int lo = 0, hi = keys.Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                if (keys[mid] <= position)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return found < 0 ? (0, ClusterState.Empty) : (keys[found], states.Values[found]);
        }
    }

    /// <summary>
    /// The cluster state as of <paramref name="position"/>: the nearest checkpoint, then the events after it read
    /// with <paramref name="readAfter"/> (events with position greater than its argument, in order).
    /// </summary>
    public async Task<ClusterState> StateAtAsync(long position, Func<long, CancellationToken, IAsyncEnumerable<CommittedEvent>> readAfter, CancellationToken ct)
    {
        var (from, state) = Nearest(position);
        if (from == position)
        {
            return state;
        }

        await foreach (var committed in readAfter(from, ct).ConfigureAwait(false))
        {
            if (committed.Position > position)
            {
                break;
            }

            state = ClusterFold.Apply(state, committed.Event);
        }

        return state;
    }
}
