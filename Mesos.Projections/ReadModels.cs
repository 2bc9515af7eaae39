using Mesos.Projections.Agents;
using Mesos.Projections.Engine;
using Mesos.Projections.Frameworks;
using Mesos.Projections.History;
using Mesos.Projections.Offers;
using Mesos.Projections.Roles;
using Mesos.Projections.Tasks;
using Mesos.Projections.Totals;

namespace Mesos.Projections;

/// <summary>The read models the master hosts for its UI and read APIs, fed by one <see cref="ProjectionEngine"/>.</summary>
public sealed class ReadModels
{
    /// <param name="checkpointEvery">Events between in-memory checkpoints of the state, for time travel.</param>
    /// <param name="extra">Projections applied after the built-in ones.</param>
    /// <param name="dependents">Projections that read the built-in ones (applied after them, so they see each event's result).</param>
    public ReadModels(int checkpointEvery = 1000, IEnumerable<IProjection>? extra = null, Func<ReadModels, IEnumerable<IProjection>>? dependents = null)
    {
        Engine = new ProjectionEngine([Agents, Frameworks, Tasks, Roles, Totals, History, Offers, .. extra ?? [], .. dependents?.Invoke(this) ?? []], checkpointEvery);
    }

    public ProjectionEngine Engine { get; }

    public AgentsProjection Agents { get; } = new();

    public FrameworksProjection Frameworks { get; } = new();

    public TasksProjection Tasks { get; } = new();

    public RolesProjection Roles { get; } = new();

    public TotalsProjection Totals { get; } = new();

    public HistoryProjection History { get; } = new();

    public OffersProjection Offers { get; } = new();

    /// <summary>Empties every read model and folds <paramref name="events"/> (the whole log, from position 1) again.</summary>
    public void Rebuild(IEnumerable<CommittedEvent> events)
    {
        Engine.Reset();
        Engine.ApplyAll(events);
    }
}
