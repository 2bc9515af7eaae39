using Mesos.Core.Commands;
using Mesos.Core.Ids;
using Mesos.Master.Api.Grpc;
using Microsoft.AspNetCore.Http;
using static Mesos.Master.Api.Http.JsonFields;

namespace Mesos.Master.Api.Http.Operator;

/// <summary>
/// GROW_VOLUME (<c>{"agent_id", "volume", "addition"}</c>) and SHRINK_VOLUME (<c>{"agent_id", "volume", "subtract":
/// {"value"}}</c>) on <c>POST /api/v1</c>, answered as Mesos does: 202 once recorded, 400 for a malformed operation or
/// an unknown agent, 409 when the agent does not hold the volume (and the addition) unused.
/// </summary>
public static class OperatorVolumeResize
{
    public static async Task SubmitAsync(HttpContext http, OperatorCall call)
    {
        var grow = call.Type == "GROW_VOLUME";
        var field = grow ? "grow_volume" : "shrink_volume";
        if (call.Read(p => Id(p, "agent_id", field)) is not { } agentId)
        {
            throw HttpCallError.BadRequest("Failed to validate master::Call: Expecting 'agent_id' to be present; only agent default resources are supported right now");
        }

        var (volume, addition, subtract) = call.Read(p =>
        {
            var volume = SchedulerCallJson.Resource(
                Object(p, "volume", field) ?? throw new JsonConversionException($"Missing required fields: {field}.volume"), field + ".volume");
            if (grow)
            {
                var addition = Object(p, "addition", field) ?? throw new JsonConversionException($"Missing required fields: {field}.addition");
                return (volume, SchedulerCallJson.Resource(addition, field + ".addition"), 0.0);
            }

            var subtract = Object(p, "subtract", field) ?? throw new JsonConversionException($"Missing required fields: {field}.subtract");
            return (volume, (Protocol.V1.Resource?)null, Double(subtract, "value", field + ".subtract") ?? throw new JsonConversionException($"Missing required fields: {field}.subtract.value"));
        });

        MasterCommand command;
        try
        {
            var id = new AgentId(agentId);
            var volumes = ProtoMapping.ToCore([volume], field + ".volume");
            command = grow
                ? new GrowVolume(id, volumes, ProtoMapping.ToCore([addition!], field + ".addition")) { Principal = "operator" }
                : new ShrinkVolume(id, volumes, ProtoMapping.Subtract(subtract, field + ".subtract")) { Principal = "operator" };
        }
        catch (Exception ex) when (ex is WireFormatException or OverflowException or ArgumentException)
        {
            throw HttpCallError.BadRequest("Failed to validate master::Call: " + ex.Message);
        }

        await OperatorReservations.SubmitAsync(http, command).ConfigureAwait(false);
    }
}
