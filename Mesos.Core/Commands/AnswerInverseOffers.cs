using Mesos.Core.Collections;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;

namespace Mesos.Core.Commands;

/// <summary>ACCEPT_INVERSE_OFFERS (<see cref="InverseOfferAnswer.Accept"/>) or DECLINE_INVERSE_OFFERS; <paramref name="RefuseSeconds"/> defaults to 5.</summary>
public sealed record AnswerInverseOffers(FrameworkId FrameworkId, ValueArray<OfferId> InverseOfferIds, InverseOfferAnswer Answer, double? RefuseSeconds) : MasterCommand;
