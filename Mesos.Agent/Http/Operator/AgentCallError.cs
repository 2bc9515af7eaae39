using Microsoft.AspNetCore.Http;

namespace Mesos.Agent.Http.Operator;

/// <summary>A refused operator call: the HTTP status and Mesos' message for it.</summary>
internal sealed class AgentCallError(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static AgentCallError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
}
