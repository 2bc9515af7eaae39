using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mesos.Hosting.Http;
using Mesos.Protocol.Wire.Transcoding;

namespace Mesos.Master.Api.Http;

/// <summary>
/// The two encodings of Mesos' v1 HTTP APIs. JSON is the one this master reads and writes; a protobuf body is
/// Mesos' wire message (Mesos.Protocol.Wire, Mesos' field numbers), turned into the same JSON on the way in and
/// transcoded from it on the way out, so that both encodings share one reader, one validator and one renderer.
/// Which requests get in and which encoding answers is the rule both daemons share, <see cref="ApiMediaTypes"/>.
/// </summary>
public static class WireEncoding
{
    public const string Json = ApiMediaTypes.Json;
    public const string Protobuf = ApiMediaTypes.Protobuf;

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

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
