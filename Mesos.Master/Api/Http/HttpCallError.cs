namespace Mesos.Master.Api.Http;

/// <summary>A request the v1 HTTP edge refuses, with the status code and body text Mesos gives for it.</summary>
public sealed class HttpCallError(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static HttpCallError BadRequest(string message) => new(400, message);
}
