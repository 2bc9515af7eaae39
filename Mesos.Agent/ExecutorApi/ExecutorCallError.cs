using Microsoft.AspNetCore.Http;

namespace Mesos.Agent.ExecutorApi;

/// <summary>A refused executor call: the HTTP status and Mesos' message for it.</summary>
internal sealed class ExecutorCallError(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static ExecutorCallError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
}
