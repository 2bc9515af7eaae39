using Mesos.Hosting.Http;
using Microsoft.AspNetCore.Http;

namespace Mesos.Agent.Http;

/// <summary>A refused call to one of the agent's v1 APIs (executor, operator): the HTTP status and Mesos' message for it.</summary>
internal sealed class ApiCallError(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static ApiCallError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static ApiCallError NotAcceptable() => new(StatusCodes.Status406NotAcceptable, ApiMediaTypes.NotAcceptableMessage);
}
