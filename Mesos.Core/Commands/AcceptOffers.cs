using Mesos.Core.Collections;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.Commands;

/// <summary>
/// ACCEPT with LAUNCH operations; the offers' unused resources are refused for <paramref name="RefuseSeconds"/>
/// (default 5). <paramref name="Details"/> holds, by task id, what of each task only its agent uses (URIs, health
/// check, labels); a task without an entry has none.
/// </summary>
public sealed record AcceptOffers(
    FrameworkId FrameworkId,
    ValueArray<OfferId> OfferIds,
    ValueArray<TaskInfo> Tasks,
    double? RefuseSeconds,
    IReadOnlyDictionary<TaskId, TaskLaunchDetails>? Details = null) : MasterCommand;
