using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Mesos.Hosting.Http;

/// <summary>
/// Mesos' rule for the two encodings of its v1 HTTP APIs, the same on the master (scheduler, operator) and the agent
/// (executor, operator): which requests get in (POST, a <c>Content-Type</c> of JSON or protobuf, in that order of
/// checks and with Mesos' 405 / 400 / 415 texts), which encoding the answer takes (<c>Accept</c>), and how the body
/// is read.
/// </summary>
public static class ApiMediaTypes
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";

    public const string UnsupportedContentTypeMessage = "Expecting 'Content-Type' of application/json or application/x-protobuf";

    /// <summary>Mesos' 406 text, the same from the master's and the agent's endpoints (protobuf named first).</summary>
    public const string NotAcceptableMessage = $"Expecting 'Accept' to allow '{Protobuf}' or '{Json}'";

    /// <summary>
    /// Mesos' checks before a call's body is read, in Mesos' order; null when the request passes, with the encoding
    /// of its body in <paramref name="requestType"/>. A refused method also gets Mesos' <c>Allow</c> header.
    /// </summary>
    public static ApiRefusal? CheckRequest(HttpRequest request, out string requestType)
    {
        requestType = Json;
        if (!HttpMethods.IsPost(request.Method))
        {
            request.HttpContext.Response.Headers.Allow = "POST";
            return new(StatusCodes.Status405MethodNotAllowed, $"Expecting one of {{ 'POST' }}, but received '{request.Method}'");
        }

        if (string.IsNullOrEmpty(request.ContentType))
        {
            return new(StatusCodes.Status400BadRequest, "Expecting 'Content-Type' to be present");
        }

        if (RequestType(request.ContentType) is not { } type)
        {
            return new(StatusCodes.Status415UnsupportedMediaType, UnsupportedContentTypeMessage);
        }

        requestType = type;
        return null;
    }

    /// <summary>The body's media type if it is one of the two (parameters such as a charset aside), else null.</summary>
    public static string? RequestType(string? contentType)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType : null;
        return string.Equals(mediaType, Json, StringComparison.OrdinalIgnoreCase) ? Json
            : string.Equals(mediaType, Protobuf, StringComparison.OrdinalIgnoreCase) ? Protobuf
            : null;
    }

    /// <summary>
    /// The answer's encoding as Mesos picks it: JSON if the request accepts it (no <c>Accept</c> accepts anything),
    /// else protobuf if accepted, else null (406).
    /// </summary>
    public static string? ResponseType(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return Json;
        }

        var protobuf = false;
        foreach (var part in accept.SelectMany(value => (value ?? string.Empty).Split(',')))
        {
            if (!MediaTypeWithQualityHeaderValue.TryParse(part.Trim(), out var media) || media.Quality is <= 0)
            {
                continue;
            }

            if (media.MediaType is Json or "application/*" or "*/*")
            {
                return Json;
            }

            protobuf |= string.Equals(media.MediaType, Protobuf, StringComparison.OrdinalIgnoreCase);
        }

        return protobuf ? Protobuf : null;
    }

    /// <summary>
    /// The whole body; with <paramref name="maxBytes"/>, a bigger one is refused with 413 as soon as it is seen, rather
    /// than buffered.
    /// </summary>
    public static async Task<(byte[] Body, ApiRefusal? Refusal)> ReadBodyAsync(HttpRequest request, int? maxBytes, CancellationToken ct)
    {
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                return ([], new(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {maxBytes} bytes"));
            }

            body.Write(buffer, 0, read);
        }

        return (body.ToArray(), null);
    }
}
