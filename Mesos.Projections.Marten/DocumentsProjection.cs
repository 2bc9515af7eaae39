using System.Collections.Immutable;
using Mesos.Core.Ids;
using Mesos.Projections.Agents;
using Mesos.Projections.Engine;
using Mesos.Projections.Tasks;
using Mesos.Projections.Views;

namespace Mesos.Projections.Marten;

/// <summary>
/// The agents and tasks read models kept as Marten documents in PostgreSQL, one document per agent and per task,
/// so that dashboards can query them in SQL.
/// <para>
/// Why not Marten's async daemon: the log is one Marten stream of envelopes (see MartenEventLog), and a read model
/// needs the fold's state before and after each event (resources used, offered) that the projection engine already
/// has; a daemon projection would decode every event again and re-implement the fold. So this is a projection of
/// our engine: applying an event only notes which agents and tasks it touched (the engine's thread is never slowed
/// by PostgreSQL), and <see cref="DocumentsWriter"/> writes the touched documents, read from the agents and tasks
/// read models at the same position, together with the checkpoint, in one transaction. The checkpoint
/// (<see cref="Position"/>) is therefore exactly what the documents reflect: a restarted master skips the events at
/// or before it (the documents of the entities they touched are already written), and a reset rewrites all.
/// </para>
/// Register it after the agents and tasks projections (the engine applies projections in order).
/// </summary>
public sealed class DocumentsProjection : IProjection
{
    /// <summary>Bumped when the documents' shape or content changes: stored documents of another version are rebuilt.</summary>
    public const int CurrentVersion = 1;

    private readonly object gate = new();
    private readonly AgentsProjection agents;
    private readonly TasksProjection tasks;
    private HashSet<AgentId> dirtyAgents = [];
    private HashSet<TaskKey> dirtyTasks = [];
    private ImmutableSortedDictionary<AgentId, AgentView> agentsAt = ImmutableSortedDictionary<AgentId, AgentView>.Empty;
    private ImmutableSortedDictionary<TaskKey, TaskView> tasksAt = ImmutableSortedDictionary<TaskKey, TaskView>.Empty;
    private long resumeAfter;
    private long applied;
    private long written;
    private bool clear;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="agents">The engine's agents projection, applied before this one.</param>
    /// <param name="tasks">The engine's tasks projection, applied before this one.</param>
    /// <param name="checkpoint">The position the stored documents reflect (0 when there are none, or they are of another version and will be rebuilt).</param>
    /// <param name="rebuild">Whether the stored documents must be deleted first (another version of them).</param>
    public DocumentsProjection(AgentsProjection agents, TasksProjection tasks, long checkpoint, bool rebuild = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(checkpoint);
        this.agents = agents;
        this.tasks = tasks;
        resumeAfter = rebuild ? 0 : checkpoint;
        written = resumeAfter;
        clear = rebuild;
    }

    public string Name => "documents";

    public int Version => CurrentVersion;

    /// <summary>The position the documents in PostgreSQL reflect (durable, not just applied).</summary>
    public long Position => Interlocked.Read(ref written);

    /// <summary>The last position applied here and not yet necessarily written.</summary>
    public long Applied => Interlocked.Read(ref applied);

    public void Apply(ProjectionContext context)
    {
        lock (gate)
        {
            if (context.Position > resumeAfter)
            {
                dirtyAgents.UnionWith(context.Scope.Agents);
                dirtyTasks.UnionWith(context.Scope.Tasks);
            }

            // Immutable maps: references taken now are the read models as of this position, whatever follows.
            agentsAt = agents.Agents;
            tasksAt = tasks.Tasks;
            Interlocked.Exchange(ref applied, context.Position);
            Signal();
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            dirtyAgents = [];
            dirtyTasks = [];
            agentsAt = ImmutableSortedDictionary<AgentId, AgentView>.Empty;
            tasksAt = ImmutableSortedDictionary<TaskKey, TaskView>.Empty;
            resumeAfter = 0;
            clear = true;
            Interlocked.Exchange(ref applied, 0);
            Interlocked.Exchange(ref written, 0);
            Signal();
        }
    }

    /// <summary>What is to be written, or null when the documents are up to date; the pending set is emptied.</summary>
    public DocumentBatch? TakeBatch()
    {
        lock (gate)
        {
            var position = Interlocked.Read(ref applied);
            if (!clear && position <= Interlocked.Read(ref written) && dirtyAgents.Count == 0 && dirtyTasks.Count == 0)
            {
                return null;
            }

            var batch = new DocumentBatch(Math.Max(position, resumeAfter), dirtyAgents, dirtyTasks, agentsAt, tasksAt, clear);
            dirtyAgents = [];
            dirtyTasks = [];
            clear = false;
            return batch;
        }
    }

    /// <summary>The batch is durable.</summary>
    public void Written(DocumentBatch batch)
    {
        lock (gate)
        {
            if (batch.Position > Interlocked.Read(ref written))
            {
                Interlocked.Exchange(ref written, batch.Position);
            }

            Signal();
        }
    }

    /// <summary>The batch could not be written: its documents are pending again, to go with the next batch.</summary>
    public void Requeue(DocumentBatch batch)
    {
        lock (gate)
        {
            dirtyAgents.UnionWith(batch.AgentIds);
            dirtyTasks.UnionWith(batch.TaskKeys);
            clear |= batch.ClearFirst;
        }
    }

    /// <summary>Completes when something is next applied, reset or written: take it before <see cref="TakeBatch"/>, so nothing in between is missed.</summary>
    public Task ChangedAsync(CancellationToken ct)
    {
        lock (gate)
        {
            return changed.Task.WaitAsync(ct);
        }
    }

    /// <summary>Completes once the documents in PostgreSQL reflect at least <paramref name="target"/>.</summary>
    public async Task AtLeastAsync(long target, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (Interlocked.Read(ref written) >= target)
                {
                    return;
                }

                wait = changed.Task;
            }

            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void Signal()
    {
        var toSignal = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        toSignal.TrySetResult();
    }
}
