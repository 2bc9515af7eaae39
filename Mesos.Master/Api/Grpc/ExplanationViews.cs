using System.Text;
using Mesos.Core.Allocation.Explain;
using Mesos.Master.Application;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>Allocation reasons in their wire form, shared by the gRPC reply and the HTTP JSON endpoint.</summary>
public static class ExplanationViews
{
    /// <summary><c>QuotaLimitReached</c> as <c>QUOTA_LIMIT_REACHED</c>, Mesos' spelling of enum values.</summary>
    public static string KindName(AllocationReasonKind kind)
    {
        var name = kind.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }

    public static V1.ExplainAllocationReply ToReply(AllocationExplainResult result)
    {
        var reply = new V1.ExplainAllocationReply();
        if (result.Cycle is { } cycle)
        {
            reply.HasCycle = true;
            reply.CycleTime = ProtoMapping.Seconds(cycle.At);
            reply.Seed = cycle.Seed;
            reply.Position = cycle.Position;
            reply.OffersMade = cycle.OffersMade;
        }

        foreach (var reason in result.Reasons)
        {
            var view = new V1.AllocationReasonView
            {
                Kind = KindName(reason.Kind),
                FrameworkId = reason.FrameworkId?.Value ?? string.Empty,
                Role = reason.Role ?? string.Empty,
                AgentId = reason.AgentId?.Value ?? string.Empty,
                Resources = reason.Resources.ToString(),
                Other = reason.Other.ToString(),
                Rival = reason.Rival ?? string.Empty,
                Detail = reason.Detail ?? string.Empty,
                Text = AllocationReasonText.Describe(reason),
            };
            if (reason.Until is { } until)
            {
                view.Until = ProtoMapping.Seconds(until);
            }

            if (reason.Share is { } share)
            {
                view.Share = share;
            }

            if (reason.RivalShare is { } rivalShare)
            {
                view.RivalShare = rivalShare;
            }

            reply.Reasons.Add(view);
        }

        return reply;
    }
}
