using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mesos.Protocol.Wire.Transcoding;
using Microsoft.AspNetCore.Http;

namespace Mesos.Master.Api.Http;

/// <summary>
/// The two encodings of Mesos' v1 HTTP APIs. JSON is the one this master reads and writes; a protobuf body is
/// Mesos' wire message (Mesos.Protocol.Wire, Mesos' field numbers), turned into the same JSON on the way in and
/// transcoded from it on the way out, so that both encodings share one reader, one validator and one renderer.
/// </summary>
public static class WireEncoding
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    /// <summary>The request's media type if it is one of the two, else null (415).</summary>
    public static string? RequestType(HttpRequest request)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType : null;
        return string.Equals(mediaType, Json, StringComparison.OrdinalIgnoreCase) ? Json
            : string.Equals(mediaType, Protobuf, StringComparison.OrdinalIgnoreCase) ? Protobuf
            : null;
    }

    /// <summary>
    /// The response encoding Mesos picks: JSON if the request accepts it (no <c>Accept</c> accepts anything), else
    /// protobuf if accepted, else null (406).
    /// </summary>
    public static string? ResponseType(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return Json;
        }

        var protobuf = false;
        foreach (var value in accept)
        {
            foreach (var part in (value ?? string.Empty).Split(','))
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
        }

        return protobuf ? Protobuf : null;
    }

    /// <summary>A protobuf body as Mesos JSON; a body that is not a valid <typeparamref name="T"/> is Mesos' 400.</summary>
    public static byte[] ProtobufToJson<T>(MessageParser<T> parser, ReadOnlySpan<byte> body)
        where T : IMessage<T>
    {
        T message;
        try
        {
            message = parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw HttpCallError.BadRequest("Failed to parse body into Call protobuf: " + ex.Message);
        }

        try
        {
            return Encoding.UTF8.GetBytes(Formatter.Format(message));
        }
        catch (InvalidOperationException ex)
        {
            // A well-known type that has no JSON form, such as a google.protobuf.Duration whose seconds and nanos disagree in sign.
            throw HttpCallError.BadRequest("Failed to parse body into Call protobuf: " + ex.Message);
        }
    }

    /// <summary>A message this master rendered as Mesos JSON, in protobuf.</summary>
    public static byte[] JsonToProtobuf(MessageDescriptor descriptor, byte[] json) =>
        ProtobufFromJson.Transcode(descriptor, json);

    /// <summary>Encodes a rendered JSON message for the response type chosen.</summary>
    public static byte[] Encode(string responseType, MessageDescriptor descriptor, byte[] json) =>
        responseType == Protobuf ? JsonToProtobuf(descriptor, json) : json;
}
