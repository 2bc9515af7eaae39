using Mediator;
using Mesos.Core.Allocation.Explain;
using Mesos.Core.Decisions;
using Mesos.Core.Ids;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesos.Master.Api.Http;

/// <summary>
/// <c>GET /master/allocator/explain?framework_id=ID</c> or <c>?agent_id=ID</c>: the latest allocation cycle's
/// reasons as JSON, for the web UI and scripts (the same data as the Operator gRPC <c>ExplainAllocation</c>).
/// </summary>
public static class AllocatorEndpoints
{
    public const string ExplainPath = "/master/allocator/explain";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(ExplainPath, ExplainAsync);

    private static async Task<IResult> ExplainAsync(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        static string? Query(HttpContext http, string name) =>
            http.Request.Query.TryGetValue(name, out var values) && !string.IsNullOrEmpty(values.ToString()) ? values.ToString() : null;

        var framework = Query(http, "framework_id");
        var agent = Query(http, "agent_id");
        var result = await mediator.Send(
            new ExplainAllocation(framework is null ? null : new FrameworkId(framework), agent is null ? null : new AgentId(agent)), ct).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            var status = error.Kind switch
            {
                DecideErrorKind.NotFound => StatusCodes.Status404NotFound,
                DecideErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            };
            return Results.Text(error.Message, "text/plain; charset=utf-8", statusCode: status);
        }

        return Results.Json(new
        {
            cycle = result.Cycle is { } cycle
                ? new { time = ProtoMapping.Seconds(cycle.At), seed = cycle.Seed, log_position = cycle.Position, offers_made = cycle.OffersMade }
                : null,
            reasons = result.Reasons.Select(r => new
            {
                kind = ExplanationViews.KindName(r.Kind),
                framework_id = r.FrameworkId?.Value,
                role = r.Role,
                agent_id = r.AgentId?.Value,
                resources = r.Resources.ToString(),
                other = r.Other.ToString(),
                until = r.Until is { } until ? ProtoMapping.Seconds(until) : (double?)null,
                rival = r.Rival,
                share = r.Share,
                rival_share = r.RivalShare,
                detail = r.Detail,
                text = AllocationReasonText.Describe(r),
            }),
        });
    }
}
