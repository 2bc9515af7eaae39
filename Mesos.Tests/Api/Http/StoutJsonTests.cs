using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mesos.Protocol.Wire.Transcoding;
using Wire = Mesos.Protocol.Wire;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// StoutJson writes a protobuf message as Mesos does; the transcoder (checked against Google.Protobuf's parser) reads
/// it back to the same message,
/// once stout's two liberties are applied: unset fields that declare a default are written (so read back as set),
/// and doubles carry 15 significant digits.
/// </summary>
public sealed class StoutJsonTests
{
    private static readonly MessageDescriptor[] Roots =
    [
        Wire.Agent.Response.Descriptor,
        Wire.Agent.Call.Descriptor,
        Wire.Master.Response.Descriptor,
        Wire.Scheduler.Event.Descriptor,
        Wire.Executor.Event.Descriptor,
    ];

    [Fact]
    public void Random_messages_read_back_as_the_message_stout_would_have_sent()
    {
        Gen.Select(Gen.Int[0, Roots.Length - 1], Gen.Int).Sample((root, seed) =>
        {
            var descriptor = Roots[root];
            var message = ProtobufFromJsonTests.RandomMessage(descriptor, new Random(seed), depth: 0);

            var json = StoutJson.Serialize(message);

            Assert.All(json, b => Assert.True(b < 0x80, "non-ASCII byte in " + Encoding.UTF8.GetString(json)));
            // Google's parser reads JSON numbers through a double, so it is the reference only below 2^53.
            Assert.Equal(AsStoutSendsIt(message), descriptor.Parser.ParseFrom(ProtobufFromJson.Transcode(descriptor, json)));
        }, iter: 400);
    }

    [Fact]
    public void Mesos_conventions_hold_for_64_bit_integers_enums_bytes_doubles_defaults_and_field_order()
    {
        var resource = new Wire.Resource { Name = "ports", Type = Wire.Value.Types.Type.Ranges, Ranges = new() };
        resource.Ranges.Range.Add(new Wire.Value.Types.Range { Begin = 31000, End = 32000 });
        var response = new Wire.Agent.Response
        {
            Type = Wire.Agent.Response.Types.Type.ReadFile,
            ReadFile = new() { Size = 5_000_000_000, Data = ByteString.CopyFromUtf8("hé") },
            GetMetrics = new() { Metrics = { new Wire.Metric { Name = "slave/cpus_total", Value = 15 } } },
            GetAgent = new() { AgentInfo = new() { Hostname = "h\u00e9", Resources = { resource }, Id = new() { Value = "S0" } } },
        };

        var json = Encoding.ASCII.GetString(StoutJson.Serialize(response));

        Assert.Equal(
            """{"type":"READ_FILE","get_metrics":{"metrics":[{"name":"slave/cpus_total","value":15.0}]},"read_file":{"size":5000000000,"data":"aMOp"},"get_agent":{"agent_info":{"hostname":"h\u00e9","resources":[{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]}}],"id":{"value":"S0"},"port":5051}}}""",
            json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Number, document.RootElement.GetProperty("read_file").GetProperty("size").ValueKind);
    }

    [Fact]
    public void Deprecated_fields_with_defaults_are_left_out_when_unset()
    {
        var executor = new Wire.ExecutorInfo { ExecutorId = new() { Value = "e" } };

        var json = Encoding.ASCII.GetString(StoutJson.Serialize(executor));

        Assert.Equal("""{"executor_id":{"value":"e"}}""", json);
    }

    /// <summary>The message with every unset field that declares a default set to it, and doubles at 15 digits.</summary>
    private static IMessage AsStoutSendsIt(IMessage original)
    {
        var message = original.Descriptor.Parser.ParseFrom(original.ToByteString());
        Apply(message);
        return message;
    }

    private static void Apply(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var accessor = field.Accessor;
            if (field.IsMap)
            {
                var map = (IDictionary)accessor.GetValue(message);
                foreach (var value in map.Values)
                {
                    if (value is IMessage nested)
                    {
                        Apply(nested);
                    }
                }

                continue;
            }

            if (field.IsRepeated)
            {
                var list = (IList)accessor.GetValue(message);
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is IMessage nested)
                    {
                        Apply(nested);
                    }
                    else if (list[i] is double d)
                    {
                        list[i] = Round(d);
                    }
                }

                continue;
            }

            var current = accessor.GetValue(message);
            if (current is IMessage child)
            {
                Apply(child);
            }
            else if (field.HasPresence && !accessor.HasValue(message))
            {
                var declaration = field.ToProto();
                if (declaration.HasDefaultValue && declaration.Options?.Deprecated != true)
                {
                    accessor.SetValue(message, current is double unset ? Round(unset) : current);
                }
            }
            else if (current is double d)
            {
                accessor.SetValue(message, Round(d));
            }
        }
    }

    private static double Round(double value) =>
        double.IsFinite(value) ? double.Parse(value.ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;
}
