using System.Text.Json;
using Mesos.Core.Commands;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Api.Http.Operator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesos.Master.Api.Http.Legacy;

/// <summary>
/// Mesos' <c>/master/create-volumes</c> and <c>/master/destroy-volumes</c> (also without <c>/master</c>): a POST form
/// <c>slaveId=&lt;id&gt;&amp;volumes=&lt;JSON array of Resource&gt;</c>, answered 202 once validated and recorded, with the
/// messages of Mesos' <c>master/http.cpp</c> for a bad form and the operator API's for a refused operation.
/// </summary>
public static class VolumeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/master", string.Empty })
        {
            app.MapMethods(prefix + "/create-volumes", ["POST", "GET", "PUT", "DELETE"], (HttpContext http) => HandleAsync(http, create: true));
            app.MapMethods(prefix + "/destroy-volumes", ["POST", "GET", "PUT", "DELETE"], (HttpContext http) => HandleAsync(http, create: false));
        }
    }

    private static async Task HandleAsync(HttpContext http, bool create)
    {
        try
        {
            if (!HttpMethods.IsPost(http.Request.Method))
            {
                throw new HttpCallError(StatusCodes.Status405MethodNotAllowed, $"Expecting 'POST', received '{http.Request.Method}'");
            }

            var (agentId, volumes) = await ReadAsync(http).ConfigureAwait(false);
            MasterCommand command = create
                ? new CreateVolumes(agentId, volumes) { Principal = "operator" }
                : new DestroyVolumes(agentId, volumes) { Principal = "operator" };
            await OperatorReservations.SubmitAsync(http, command).ConfigureAwait(false);
        }
        catch (HttpCallError error) when (!http.Response.HasStarted)
        {
            if (error.StatusCode == StatusCodes.Status405MethodNotAllowed)
            {
                http.Response.Headers.Allow = "POST";
            }

            http.Response.StatusCode = error.StatusCode;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(error.Message, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task<(AgentId AgentId, ResourceSet Volumes)> ReadAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        Dictionary<string, string> values;
        try
        {
            values = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(kv => Uri.UnescapeDataString(kv[0].Replace('+', ' ')), kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : string.Empty, StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException)
        {
            throw HttpCallError.BadRequest("Unable to decode query string: " + ex.Message);
        }

        if (!values.TryGetValue("slaveId", out var slaveId))
        {
            throw HttpCallError.BadRequest("Missing 'slaveId' query parameter in the request body");
        }

        if (!values.TryGetValue("volumes", out var text))
        {
            throw HttpCallError.BadRequest("Missing 'volumes' query parameter in the request body");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new JsonConversionException("expecting a JSON array");
            }

            var wire = document.RootElement.EnumerateArray().Select(r => SchedulerCallJson.Resource(r, "volumes")).ToList();
            return (new AgentId(slaveId), ProtoMapping.ToCore(wire, "volumes"));
        }
        catch (Exception ex) when (ex is JsonException or JsonConversionException or WireFormatException or OverflowException or ArgumentException)
        {
            throw HttpCallError.BadRequest("Error in parsing 'volumes' query parameter in the request body: " + ex.Message);
        }
    }
}
