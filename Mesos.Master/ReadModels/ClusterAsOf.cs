using System.Runtime.CompilerServices;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.EventLog.Port;
using Mesos.Projections.Engine;
using Mesos.Projections.Offers;
using Mesos.Projections.Roles;
using Mesos.Projections.Totals;
using Mesos.Projections.Views;

namespace Mesos.Master.ReadModels;

/// <summary>
/// Time travel: the cluster as of any log position, from the nearest in-memory checkpoint plus the events after
/// it read from the log. The last few states and views asked for are kept: every page of the UI asks for the
/// same moment while an operator looks at it.
/// </summary>
public sealed class ClusterAsOf(Projections.ReadModels models, IEventLog log)
{
    private const int CachedStates = 8;

    private readonly object gate = new();
    private readonly LinkedList<(long Position, ClusterState State)> cache = new();
    private readonly LinkedList<ClusterView> views = new();

    public long LivePosition => models.Engine.Position;

    public async Task<ClusterView> AtAsync(long? at, CancellationToken ct)
    {
        var live = models.Engine.Position;
        if (at is null || at.Value >= live)
        {
            return Live();
        }

        var position = Math.Max(0, at.Value);
        lock (gate)
        {
            if (views.FirstOrDefault(v => v.Position == position) is { } cached)
            {
                return cached;
            }
        }

        var state = await StateAtAsync(position, ct).ConfigureAwait(false);
        var view = FromState(state, position);
        lock (gate)
        {
            views.AddFirst(view);
            if (views.Count > CachedStates)
            {
                views.RemoveLast();
            }
        }

        return view;
    }

    public async Task<ClusterState> StateAtAsync(long position, CancellationToken ct)
    {
        if (position >= models.Engine.Position)
        {
            return models.Engine.State;
        }

        lock (gate)
        {
            var hit = cache.FirstOrDefault(c => c.Position == position);
            if (hit.State is not null)
            {
                return hit.State;
            }
        }

        var state = await models.Engine.Checkpoints.StateAtAsync(position, ReadAsync, ct).ConfigureAwait(false);
        lock (gate)
        {
            cache.AddFirst((position, state));
            if (cache.Count > CachedStates)
            {
                cache.RemoveLast();
            }
        }

        return state;
    }

    private ClusterView Live()
    {
        var engine = models.Engine;
        var agents = models.Agents.Agents;
        var frameworks = models.Frameworks.Frameworks;
        var tasks = models.Tasks.Tasks;
        return new ClusterView(
            engine.Position,
            true,
            engine.LastEventAt,
            new ValuesOf<AgentId, AgentView>(agents),
            new ValuesOf<FrameworkId, FrameworkView>(frameworks),
            new ValuesOf<TaskKey, TaskView>(tasks),
            models.Roles.Roles,
            models.Totals.Totals,
            engine.State.Master,
            new ValuesOf<OfferId, OfferView>(models.Offers.Offers));
    }

    private ClusterView FromState(ClusterState state, long position)
    {
        var known = models.Tasks.Tasks;
        var activeByFramework = state.Tasks.Values.GroupBy(t => t.Key.FrameworkId).ToDictionary(g => g.Key, g => g.Count());
        var tasks = state.Tasks.Values.Select(t => (Task: t, Active: true))
            .Concat(state.Frameworks.Values.Concat(state.CompletedFrameworks).SelectMany(f => f.CompletedTasks).Select(t => (Task: t, Active: false)))
            .Select(x =>
            {
                known.TryGetValue(x.Task.Key, out var later);
                return TaskView.From(x.Task, x.Active, later?.OfferId, later?.LaunchedPosition);
            })
            .ToList();
        var frameworks = state.Frameworks.Values.Concat(state.CompletedFrameworks)
            .Select(f => FrameworkView.From(f, activeByFramework.GetValueOrDefault(f.Id)))
            .ToList();
        return new ClusterView(
            position,
            false,
            models.History.At(position)?.At,
            [.. state.Agents.Values.Select(AgentView.From)],
            frameworks,
            tasks,
            RoleViews.FromState(state),
            TotalsProjection.FromState(state),
            state.Master,
            OffersProjection.FromState(state));
    }

    private async IAsyncEnumerable<CommittedEvent> ReadAsync(long after, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var recorded in log.ReadAsync(after, ct).ConfigureAwait(false))
        {
            yield return new CommittedEvent(recorded.Position, recorded.Event);
        }
    }

    /// <summary>The values of an immutable map as a sized collection, without copying them.</summary>
    private sealed class ValuesOf<TKey, TValue>(System.Collections.Immutable.ImmutableSortedDictionary<TKey, TValue> map) : IReadOnlyCollection<TValue>
        where TKey : notnull
    {
        public int Count => map.Count;

        public IEnumerator<TValue> GetEnumerator() => map.Values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
