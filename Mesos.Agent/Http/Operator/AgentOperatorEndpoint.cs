using Google.Protobuf;
using Mesos.Agent.ExecutorApi;
using Mesos.Hosting.Files;
using Mesos.Hosting.Http;
using Mesos.Protocol.Wire.Transcoding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WireAgent = Mesos.Protocol.Wire.Agent;

namespace Mesos.Agent.Http.Operator;

/// <summary>
/// Mesos 1.11's agent operator API, <c>POST /api/v1</c> on the agent (agent.proto's Call and Response, in JSON or
/// protobuf). Checks, status codes and messages are in the order and wording of Mesos' agent
/// (<c>src/slave/http.cpp</c> <c>api()</c>, <c>src/slave/validation.cpp</c>). Calls for nested and standalone
/// containers, resource providers and logging levels answer 501: this agent has none of those to manage.
/// </summary>
internal static class AgentOperatorEndpoint
{
    public const string Path = "/api/v1";

    public static void Map(WebApplication app, AgentCore core, IFileTree files)
    {
        var responses = new AgentResponses(core, files, TimeProvider.System);
        foreach (var prefix in new[] { string.Empty, "/slave(1)" })
        {
            app.Map(prefix + Path, http => HandleAsync(http, responses));
        }

        app.MapGet("/metrics/snapshot", () => Results.Json(responses.Metrics().ToDictionary(m => m.Name, m => m.Value)));
    }

    private static async Task HandleAsync(HttpContext http, AgentResponses responses)
    {
        try
        {
            var (call, acceptType) = await ReadCallAsync(http).ConfigureAwait(false);
            var response = responses.Answer(call);
            var body = acceptType == ApiMediaTypes.Protobuf ? response.ToByteArray() : StoutJson.Serialize(response);
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = acceptType;
            await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
        }
        catch (ApiCallError error) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = error.StatusCode;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(error.Message, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task<(WireAgent.Call Call, string AcceptType)> ReadCallAsync(HttpContext http)
    {
        var request = http.Request;
        var body = await ApiCallBody.ReadAsync(request, http.RequestAborted).ConfigureAwait(false);
        WireAgent.Call call;
        try
        {
            call = ExecutorWire.ParseCall(body.Bytes, body.ContentType, WireAgent.Call.Parser);
        }
        catch (FormatException e)
        {
            throw ApiCallError.BadRequest(e.Message);
        }

        if (Validate(call) is { } invalid)
        {
            throw ApiCallError.BadRequest("Failed to validate agent::Call: " + invalid);
        }

        var acceptType = ApiMediaTypes.ResponseType(request) ?? throw ApiCallError.NotAcceptable();
        return (call, acceptType);
    }

    /// <summary>Mesos' <c>agent::validation::call::validate</c>: the type, and the message each type needs.</summary>
    private static string? Validate(WireAgent.Call call)
    {
        if (!call.HasType)
        {
            return "Expecting 'type' to be present";
        }

        return call.Type switch
        {
            WireAgent.Call.Types.Type.ListFiles when call.ListFiles is null => "Expecting 'list_files' to be present",
            WireAgent.Call.Types.Type.ReadFile when call.ReadFile is null => "Expecting 'read_file' to be present",
            _ => null,
        };
    }
}
