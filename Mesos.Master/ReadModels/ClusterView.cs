using Mesos.Projections.Views;

namespace Mesos.Master.ReadModels;

/// <summary>
/// What the UI shows of the cluster as of <see cref="Position"/>: live from the read models, or rebuilt from the
/// log for a moment in the past (<see cref="Live"/> false).
/// </summary>
public sealed record ClusterView(
    long Position,
    bool Live,
    DateTimeOffset? At,
    IReadOnlyCollection<AgentView> Agents,
    IReadOnlyCollection<FrameworkView> Frameworks,
    IReadOnlyCollection<TaskView> Tasks,
    IReadOnlyList<RoleView> Roles,
    ClusterTotals Totals,
    Core.Masters.MasterIdentity? Master,
    IReadOnlyCollection<OfferView> Offers);
