using System.Collections.Immutable;
using Mesos.Core.Ids;
using Mesos.Projections.Marten.Documents;
using Mesos.Projections.Views;

namespace Mesos.Projections.Marten;

/// <summary>
/// What the documents lack up to <see cref="Position"/>: the agents and tasks touched since the last write, read
/// from the read models as they were at that position. <see cref="ClearFirst"/> after a reset (a rebuild from zero,
/// or a change of <see cref="DocumentsProjection.CurrentVersion"/>): the old documents go in the same transaction.
/// </summary>
public sealed record DocumentBatch(
    long Position,
    IReadOnlySet<AgentId> AgentIds,
    IReadOnlySet<TaskKey> TaskKeys,
    ImmutableSortedDictionary<AgentId, AgentView> Agents,
    ImmutableSortedDictionary<TaskKey, TaskView> Tasks,
    bool ClearFirst)
{
    public IEnumerable<AgentDocument> AgentDocuments() =>
        AgentIds.Select(id => Agents.GetValueOrDefault(id)).OfType<AgentView>().Select(AgentDocument.From);

    public IEnumerable<TaskDocument> TaskDocuments() =>
        TaskKeys.Select(key => Tasks.GetValueOrDefault(key)).OfType<TaskView>().Select(TaskDocument.From);
}
