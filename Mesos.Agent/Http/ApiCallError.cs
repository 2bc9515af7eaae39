using Mesos.Hosting.Http;
using Microsoft.AspNetCore.Http;

namespace Mesos.Agent.Http;

/// <summary>A refused call to one of the agent's v1 APIs (executor, operator): the HTTP status and Mesos' message for it.</summary>
internal sealed class ApiCallError(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static ApiCallError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    /// <summary>The agent's 406 text, as it has always been; Mesos' own quotes the types and names protobuf first.</summary>
    public static ApiCallError NotAcceptable() =>
        new(StatusCodes.Status406NotAcceptable, $"Expecting 'Accept' to allow {ApiMediaTypes.Json} or {ApiMediaTypes.Protobuf}");
}
