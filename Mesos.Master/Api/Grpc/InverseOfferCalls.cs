using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>ACCEPT_INVERSE_OFFERS / DECLINE_INVERSE_OFFERS from either scheduler edge (gRPC, v1 HTTP) as one core command.</summary>
public static class InverseOfferCalls
{
    public static AnswerInverseOffers ToCommand(FrameworkId framework, V1.InverseOffersRequest request, InverseOfferAnswer answer) =>
        new(
            framework,
            ValueArray.From(request.InverseOfferIds.Select(id => new OfferId(id))),
            answer,
            request.Filters is { HasRefuseSeconds: true } f ? f.RefuseSeconds : null)
        {
            Principal = "framework:" + framework,
        };
}
