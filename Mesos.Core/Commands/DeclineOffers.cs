using Mesos.Core.Collections;
using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>DECLINE: refuse these offers' resources for <paramref name="RefuseSeconds"/> (default 5).</summary>
public sealed record DeclineOffers(FrameworkId FrameworkId, ValueArray<OfferId> OfferIds, double? RefuseSeconds) : MasterCommand;
