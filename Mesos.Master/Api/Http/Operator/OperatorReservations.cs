using Mediator;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Mesos.Master.Api.Http.JsonFields;

namespace Mesos.Master.Api.Http.Operator;

/// <summary>
/// RESERVE_RESOURCES, UNRESERVE_RESOURCES, CREATE_VOLUMES and DESTROY_VOLUMES on <c>POST /api/v1</c> (and the legacy
/// <c>/master/create-volumes</c>, <c>/master/destroy-volumes</c>), answered as Mesos does: 202 once the master has
/// validated and recorded the operation, 400 for a bad request (including an unknown agent), 409 when the agent
/// does not have the resources free.
/// </summary>
public static class OperatorReservations
{
    public static async Task SubmitAsync(HttpContext http, OperatorCall call)
    {
        var (agentId, resources) = Read(call);
        MasterCommand command = call.Type switch
        {
            "RESERVE_RESOURCES" => new ReserveResources(agentId, resources) { Principal = "operator" },
            "CREATE_VOLUMES" => new CreateVolumes(agentId, resources) { Principal = "operator" },
            "DESTROY_VOLUMES" => new DestroyVolumes(agentId, resources) { Principal = "operator" },
            _ => new UnreserveResources(agentId, resources) { Principal = "operator" },
        };
        await SubmitAsync(http, command).ConfigureAwait(false);
    }

    public static async Task SubmitAsync(HttpContext http, MasterCommand command)
    {
        var mediator = http.RequestServices.GetRequiredService<IMediator>();
        var result = await mediator.Send(new Submit(command), http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            throw new HttpCallError(error.Kind == DecideErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, error.Message);
        }

        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    /// <summary>
    /// <c>{"agent_id": {"value": "..."}, "resources": [...]}</c> (<c>"volumes"</c> for the volume calls), the resources in
    /// either reservation format.
    /// </summary>
    private static (AgentId AgentId, ResourceSet Resources) Read(OperatorCall call)
    {
        var field = OperatorCall.PayloadField(call.Type)!;
        var list = call.Type is "CREATE_VOLUMES" or "DESTROY_VOLUMES" ? "volumes" : "resources";
        var agentId = call.RequiredId("agent_id");
        var wire = call.Read(p => Array(p, list, field).Select(r => SchedulerCallJson.Resource(r, field + "." + list)).ToList());
        try
        {
            return (new AgentId(agentId), ProtoMapping.ToCore(wire, field + "." + list));
        }
        catch (Exception ex) when (ex is WireFormatException or OverflowException or ArgumentException)
        {
            // Overflow: a quantity JSON can carry but the core's fixed-point scalars cannot (found by the fuzz test, seed 697383988).
            throw HttpCallError.BadRequest("Failed to validate master::Call: " + ex.Message);
        }
    }
}
