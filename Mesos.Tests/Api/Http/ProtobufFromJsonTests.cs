using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mesos.Protocol.Wire.Transcoding;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// The x-protobuf bodies are transcoded from the JSON the master renders; Google.Protobuf's own JSON parser is the
/// reference the transcoder must agree with.
/// </summary>
public sealed class ProtobufFromJsonTests
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    private static readonly JsonParser Reference = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private static readonly MessageDescriptor[] Roots =
    [
        Mesos.Protocol.Wire.Master.Response.Descriptor,
        Mesos.Protocol.Wire.Master.Event.Descriptor,
        Mesos.Protocol.Wire.Master.Call.Descriptor,
        Mesos.Protocol.Wire.Scheduler.Event.Descriptor,
        Mesos.Protocol.Wire.Scheduler.Call.Descriptor,
        Mesos.Protocol.Wire.Executor.Event.Descriptor,
        Mesos.Protocol.Wire.Executor.Call.Descriptor,
    ];

    [Fact]
    public void Random_messages_round_trip_through_their_json()
    {
        Gen.Select(Gen.Int[0, Roots.Length - 1], Gen.Int).Sample((root, seed) =>
        {
            var descriptor = Roots[root];
            var message = RandomMessage(descriptor, new Random(seed), depth: 0);
            var json = Formatter.Format(message);

            var transcoded = descriptor.Parser.ParseFrom(ProtobufFromJson.Transcode(descriptor, Encoding.UTF8.GetBytes(json)));

            Assert.Equal(message, transcoded);
            Assert.Equal(Reference.Parse(json, descriptor), transcoded);
        }, iter: 400);
    }

    [Theory]
    [InlineData("get-state.json")]
    [InlineData("operator-events.json")]
    public void Golden_operator_responses_transcode_as_the_reference_parser_does(string file)
    {
        var events = file == "operator-events.json";
        var descriptor = events ? Mesos.Protocol.Wire.Master.Event.Descriptor : Mesos.Protocol.Wire.Master.Response.Descriptor;
        var text = File.ReadAllText(Path.Combine(GoldenDirectory(), file));
        var documents = events ? JsonNode.Parse(text)!.AsArray().Select(e => e!.ToJsonString()).ToList() : [text];
        Assert.NotEmpty(documents);
        foreach (var json in documents)
        {
            var transcoded = descriptor.Parser.ParseFrom(ProtobufFromJson.Transcode(descriptor, Encoding.UTF8.GetBytes(json)));
            Assert.Equal(Reference.Parse(json, descriptor), transcoded);
        }
    }

    [Fact]
    public void Unknown_fields_and_nulls_are_ignored_as_the_reference_parser_ignores_them()
    {
        const string json = """{"type":"GET_HEALTH","unknown":{"deep":[1,{"x":null}]},"get_health":{"healthy":true},"get_flags":null}""";
        var descriptor = Mesos.Protocol.Wire.Master.Response.Descriptor;

        var transcoded = descriptor.Parser.ParseFrom(ProtobufFromJson.Transcode(descriptor, Encoding.UTF8.GetBytes(json)));

        Assert.Equal(Reference.Parse(json, descriptor), transcoded);
    }

    [Theory]
    [InlineData("""{"type":"NOT_A_TYPE"}""", "unknown value 'NOT_A_TYPE'")]
    [InlineData("""{"get_health":{"healthy":"yes"}}""", "expected true or false")]
    [InlineData("""{"get_tasks":{"tasks":{}}}""", "expected a JSON array")]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{"type":""", "Invalid JSON")]
    public void Malformed_json_is_a_format_error_that_names_the_field(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ProtobufFromJson.Transcode(Mesos.Protocol.Wire.Master.Response.Descriptor, Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static string GoldenDirectory([CallerFilePath] string caller = "") => Path.Combine(Path.GetDirectoryName(caller)!, "Golden");

    internal static IMessage RandomMessage(MessageDescriptor descriptor, Random random, int depth)
    {
        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            // Required fields are always set, or the binary parser refuses the message; deep optional ones rarely.
            if (!field.IsRequired && random.NextDouble() > (depth < 3 ? 0.5 : 0.1))
            {
                continue;
            }

            if (field.FieldType == FieldType.Message && depth >= 5 && !field.IsRequired)
            {
                continue;
            }

            // Well-known types have JSON forms of their own, which the transcoder refuses: only a request carries one
            // (DRAIN_AGENT's google.protobuf.Duration), and requests go the other way, through Google's formatter.
            if (field.FieldType == FieldType.Message && field.MessageType.File.Package == "google.protobuf")
            {
                continue;
            }

            if (field.IsMap)
            {
                var map = (IDictionary)field.Accessor.GetValue(message);
                var key = field.MessageType.FindFieldByNumber(1);
                var value = field.MessageType.FindFieldByNumber(2);
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    map[RandomValue(key, random, depth)] = RandomValue(value, random, depth);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    list.Add(RandomValue(field, random, depth));
                }
            }
            else
            {
                field.Accessor.SetValue(message, RandomValue(field, random, depth));
            }
        }

        return message;
    }

    private static object RandomValue(FieldDescriptor field, Random random, int depth) => field.FieldType switch
    {
        FieldType.Message => RandomMessage(field.MessageType, random, depth + 1),
        FieldType.String => RandomText(random),
        FieldType.Bytes => ByteString.CopyFrom(Enumerable.Range(0, random.Next(0, 12)).Select(_ => (byte)random.Next(256)).ToArray()),
        FieldType.Bool => random.Next(2) == 1,
        FieldType.Double => random.Next(8) switch
        {
            0 => double.NaN,
            1 => double.NegativeInfinity,
            2 => 0.0,
            _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 12)),
        },
        FieldType.Float => (float)((random.NextDouble() - 0.5) * 1000),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values[random.Next(field.EnumType.Values.Count)].Number),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => random.Next(int.MinValue, int.MaxValue),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)random.NextInt64(0, uint.MaxValue),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => random.NextInt64(long.MinValue, long.MaxValue),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)random.NextInt64(0, long.MaxValue) * 2,
        _ => throw new InvalidOperationException($"{field.FullName}: {field.FieldType}"),
    };

    private static string RandomText(Random random)
    {
        const string alphabet = "abcXYZ019 _-/:\"\\\n\té€😀<>&'";
        var builder = new StringBuilder();
        for (var i = random.Next(0, 10); i > 0; i--)
        {
            var at = random.Next(alphabet.Length);
            // Keep surrogate pairs whole.
            builder.Append(char.IsHighSurrogate(alphabet[at]) ? alphabet.AsSpan(at, 2) : char.IsLowSurrogate(alphabet[at]) ? "x" : alphabet.AsSpan(at, 1));
        }

        return builder.ToString();
    }
}
