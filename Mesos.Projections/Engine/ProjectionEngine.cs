using System.Collections.Immutable;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.Projections.TimeTravel;

namespace Mesos.Projections.Engine;

/// <summary>
/// Feeds committed events, in log order, to every projection. It folds the cluster state itself (the master's
/// fold, <see cref="ClusterFold"/>) so that each projection sees the state before and after each event, keeps
/// in-memory checkpoints of that state for time travel, and lets readers wait for a position ("read your writes").
/// A projection that throws is stopped at the event before (its failure names the event's position and type);
/// it is never skipped past the event, and the others go on.
/// </summary>
public sealed class ProjectionEngine
{
    private readonly object gate = new();
    private readonly IReadOnlyList<IProjection> projections;
    private readonly Dictionary<string, ProjectionFailure> failures = new(StringComparer.Ordinal);
    private ClusterState state = ClusterState.Empty;
    private long position;
    private DateTimeOffset? lastEventAt;
    private ProjectionFailure? foldFailure;
    private TaskCompletionSource advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProjectionEngine(IEnumerable<IProjection> projections, int checkpointEvery = 1000)
    {
        this.projections = projections.ToList();
        Checkpoints = new StateCheckpoints(checkpointEvery);
    }

    /// <summary>Name of the cluster state fold in statuses and failures.</summary>
    public const string StateFoldName = "cluster-state";

    public IReadOnlyList<IProjection> Projections => projections;

    public StateCheckpoints Checkpoints { get; }

    /// <summary>The last position applied to the cluster state fold.</summary>
    public long Position => Volatile.Read(ref position);

    /// <summary>The cluster state at <see cref="Position"/>.</summary>
    public ClusterState State => Volatile.Read(ref state);

    public DateTimeOffset? LastEventAt
    {
        get
        {
            lock (gate)
            {
                return lastEventAt;
            }
        }
    }

    public T Get<T>()
        where T : IProjection => projections.OfType<T>().First();

    public IReadOnlyList<ProjectionStatus> Statuses()
    {
        lock (gate)
        {
            var statuses = new List<ProjectionStatus> { new(StateFoldName, 1, position, foldFailure) };
            statuses.AddRange(projections.Select(p => new ProjectionStatus(p.Name, p.Version, p.Position, failures.GetValueOrDefault(p.Name))));
            return statuses;
        }
    }

    /// <summary>
    /// Applies one committed event. Positions must follow on from <see cref="Position"/>; a gap means events were
    /// lost between the log and here, which no read model may paper over.
    /// </summary>
    public void Apply(CommittedEvent committed)
    {
        if (foldFailure is not null)
        {
            return;
        }

        if (committed.Position != position + 1)
        {
            throw new InvalidOperationException($"projections are at position {position}; event {committed.Position} does not follow on");
        }

        var typeName = EventCatalogue.For(committed.Event).Name;
        var before = state;
        ClusterState after;
        EventScope scope;
        try
        {
            scope = EventScope.Of(committed.Event, before);
            after = ClusterFold.Apply(before, committed.Event);
        }
        catch (Exception ex)
        {
            lock (gate)
            {
                foldFailure = new ProjectionFailure(StateFoldName, committed.Position, typeName, ex.Message);
            }

            return;
        }

        var context = new ProjectionContext(committed.Position, committed.Event, typeName, before, after, scope);
        foreach (var projection in projections)
        {
            if (failures.ContainsKey(projection.Name))
            {
                continue;
            }

            try
            {
                projection.Apply(context);
            }
            catch (Exception ex)
            {
                lock (gate)
                {
                    failures[projection.Name] = new ProjectionFailure(projection.Name, committed.Position, typeName, ex.Message);
                }
            }
        }

        Checkpoints.Offer(committed.Position, after);
        TaskCompletionSource toSignal;
        lock (gate)
        {
            Volatile.Write(ref state, after);
            Volatile.Write(ref position, committed.Position);
            lastEventAt = committed.Event.At;
            toSignal = advanced;
            advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        toSignal.TrySetResult();
    }

    public void ApplyAll(IEnumerable<CommittedEvent> events)
    {
        foreach (var committed in events)
        {
            Apply(committed);
        }
    }

    /// <summary>Empties every projection and the state, for a rebuild from position 0.</summary>
    public void Reset()
    {
        lock (gate)
        {
            foreach (var projection in projections)
            {
                projection.Reset();
            }

            failures.Clear();
            foldFailure = null;
            Volatile.Write(ref state, ClusterState.Empty);
            Volatile.Write(ref position, 0);
            lastEventAt = null;
            Checkpoints.Clear();
        }
    }

    /// <summary>Completes once the projections reflect at least <paramref name="target"/>: read your own writes.</summary>
    public async Task AtLeastAsync(long target, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (position >= target)
                {
                    return;
                }

                wait = advanced.Task;
            }

            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Completes with the new position once it moves past <paramref name="seen"/>.</summary>
    public async Task<long> NextAsync(long seen, CancellationToken ct)
    {
        await AtLeastAsync(seen + 1, ct).ConfigureAwait(false);
        return Position;
    }

    /// <summary>Positions of the projections that stopped; empty when all are live.</summary>
    public ImmutableArray<ProjectionFailure> Failures()
    {
        lock (gate)
        {
            var all = failures.Values.ToList();
            if (foldFailure is not null)
            {
                all.Insert(0, foldFailure);
            }

            return [.. all];
        }
    }
}
