using System.Text;
using CsCheck;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.EventLog.Serialization;

namespace Mesos.Tests.EventLog;

public sealed class EventCodecTests
{
    // The stored form, pinned. If one of these changes, logs already on disk stop reading: a change of shape is a
    // new catalogue version, never an edit of these strings.
    private const string OfferMadeV1 =
        """{"offerId":"0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-O42","frameworkId":"0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-0007","agentId":"0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-S3","role":"web/prod","resources":"cpus:2.5;cpus(web/prod):1.125;disks:{ssd1,ssd2};mem:1024;ports:[31000-31005,31010-31010]","at":"2026-11-25T17:06:55.1234567+05:30","principal":"ops@example.org"}""";

    private const string TaskLaunchedV1 =
        """{"frameworkId":"0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-0007","task":{"taskId":"web.2f9a","name":"web server","agentId":"0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-S3","resources":"cpus:2.5;cpus(web/prod):1.125;disks:{ssd1,ssd2};mem:1024;ports:[31000-31005,31010-31010]","command":{"value":"exec ./server --port=$PORT0 \"quoted\" é中","shell":true,"arguments":["--verbose",""],"environment":[{"name":"PORT0","value":"31000"},{"name":"EMPTY","value":""}],"user":"nobody"},"killGracePeriod":"00:00:01.5005000"},"executorId":"web.2f9a","offerId":"0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-O42","at":"2026-11-25T17:06:55.1234567+05:30","principal":"ops@example.org"}""";

    private const string TaskStatusUpdatedV1 =
        """{"frameworkId":"0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-0007","taskId":"web.2f9a","agentId":"0f3b6c1e-2a44-4f7e-9a51-7d1b0c2f8e11-S3","status":{"state":"Failed","reason":"ContainerLimitationMemory","message":"OOM","source":"Agent","uuid":"6c0b1e6a-1f1d-4b55-8d1e-4a7b5f0c9d21","timestamp":"2026-11-25T17:06:55.1234564+05:30","healthy":false},"at":"2026-11-25T17:06:55.1234567+05:30","principal":"ops@example.org"}""";

    public static TheoryData<string, int> CatalogueEntries()
    {
        var data = new TheoryData<string, int>();
        foreach (var entry in EventCatalogue.Entries)
        {
            data.Add(entry.Name, entry.Version);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogueEntries))]
    public void EveryCatalogueEntry_HasASampleThatRoundTripsToAnEqualRecord(string name, int version)
    {
        Assert.True(EventCatalogue.TryFind(name, version, out var entry));
        var sample = EventSamples.For(entry!.Type);
        Assert.True(sample is not null, $"{name} v{version} has no sample: add one to EventSamples");

        var encoded = EventCodec.Encode(sample);
        var decoded = EventCodec.Decode(42, encoded.TypeName, encoded.Version, encoded.Payload);

        Assert.Equal(name, encoded.TypeName);
        Assert.Equal(version, encoded.Version);
        Assert.Equal(sample, decoded);
        Assert.Equal(sample.At.Ticks, decoded.At.Ticks);
        Assert.Equal(sample.At.Offset, decoded.At.Offset);
        Assert.Equal(sample.Principal, decoded.Principal);
        Assert.Equal(encoded.Payload, EventCodec.Encode(decoded).Payload);
    }

    [Theory]
    [MemberData(nameof(CatalogueEntries))]
    public void EveryCatalogueEntry_HasCompiledSerializationMetadata(string name, int version)
    {
        Assert.True(EventCatalogue.TryFind(name, version, out var entry));

        Assert.True(
            EventCodec.HasCompiledMetadata(entry!.Type),
            $"{entry.Type.Name} is not in EventJsonContext: add [JsonSerializable(typeof({entry.Type.Name}))] so replay does not fall back to reflection");
    }

    [Theory]
    [InlineData(typeof(OfferMade), OfferMadeV1)]
    [InlineData(typeof(TaskLaunched), TaskLaunchedV1)]
    [InlineData(typeof(TaskStatusUpdated), TaskStatusUpdatedV1)]
    public void StoredFormat_IsPinned(Type eventType, string golden)
    {
        var sample = EventSamples.For(eventType)!;

        Assert.Equal(golden, Encoding.UTF8.GetString(EventCodec.Encode(sample).Payload));
        Assert.Equal(sample, EventCodec.Decode(1, EventCatalogue.For(eventType).Name, 1, Encoding.UTF8.GetBytes(golden)));
    }

    [Fact]
    public void Decode_AnUnknownTypeName_FailsNamingTheTypeVersionAndPosition()
    {
        var error = Assert.Throws<UnknownEventTypeException>(() => EventCodec.Decode(42, "Foo", 3, "{}"u8));

        Assert.Equal("event at position 42 has unknown type 'Foo' version 3; this master cannot replay this log", error.Message);
        Assert.Equal((42L, "Foo", 3), (error.Position, error.TypeName, error.Version));
    }

    [Fact]
    public void Decode_AKnownNameAtAnUnknownVersion_Fails()
    {
        var error = Assert.Throws<UnknownEventTypeException>(() => EventCodec.Decode(7, "OfferMade", 2, "{}"u8));

        Assert.Contains("'OfferMade' version 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"at":"2026-01-01T00:00:00+00:00","principal":"p"}""", "missing the agent")]
    [InlineData("""{"agentId":"a1","principal":"p"}""", "missing the required At")]
    [InlineData("""{"agentId":"a1","at":"2026-01-01T00:00:00+00:00"}""", "missing the required Principal")]
    [InlineData("""{"agentId":"a1","at":"2026-01-01T00:00:00+00:00","principal":null}""", "null principal")]
    [InlineData("""{"agentId":42,"at":"2026-01-01T00:00:00+00:00","principal":"p"}""", "number for an id")]
    [InlineData("""{"agentId":"a1","at":"yesterday","principal":"p"}""", "not a time")]
    [InlineData("""{"agentId":"a1","at":"2026-01-01T00:00:00+00:00","principal":"p" """, "truncated")]
    [InlineData("null", "null payload")]
    [InlineData("", "empty payload")]
    public void Decode_APayloadThatDoesNotFitItsType_FailsNamingThePositionAndType(string payload, string why)
    {
        var error = Assert.Throws<EventPayloadException>(() => EventCodec.Decode(9, "AgentHeartbeatReceived", 1, Encoding.UTF8.GetBytes(payload)));

        Assert.True(error.Message.StartsWith("event at position 9 of type 'AgentHeartbeatReceived' version 1", StringComparison.Ordinal), why);
        Assert.Equal(9, error.Position);
    }

    [Fact]
    public void Decode_ResourcesThatDoNotParse_FailsNamingThePosition()
    {
        var payload = OfferMadeV1.Replace("cpus:2.5;", "cpus:lots;", StringComparison.Ordinal);

        var error = Assert.Throws<EventPayloadException>(() => EventCodec.Decode(11, "OfferMade", 1, Encoding.UTF8.GetBytes(payload)));

        Assert.Contains("position 11", error.Message, StringComparison.Ordinal);
        Assert.Contains("cpus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_AnEnumWrittenAsANumber_Fails()
    {
        var payload = Encoding.UTF8.GetString(EventCodec.Encode(EventSamples.For(typeof(TaskStatusUpdated))!).Payload)
            .Replace("\"Failed\"", "3", StringComparison.Ordinal);

        Assert.Throws<EventPayloadException>(() => EventCodec.Decode(1, "TaskStatusUpdated", 1, Encoding.UTF8.GetBytes(payload)));
    }

    [Fact]
    public void Encode_AnEventOutsideTheCatalogue_Fails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EventCodec.Encode(new NotCataloguedEvent("x") { At = EventSamples.At, Principal = "p" }));

        Assert.Contains(nameof(NotCataloguedEvent), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnyTimeOffsetAndText_RoundTripExactly()
    {
        var text = Gen.OneOf(Gen.Char['\0', '\uD7FF'], Gen.Char['\uE000', '\uFFFD']).Array[0, 40].Select(chars => new string(chars));
        var time = Gen.Select(
            Gen.Long[DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay],
            Gen.Int[-14 * 60, 14 * 60],
            (ticks, minutes) => new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes)));

        Gen.Select(text, text, time).Sample((id, reason, at) =>
        {
            var removed = new AgentRemoved(new AgentId(id), reason) { At = at, Principal = reason + id };
            var encoded = EventCodec.Encode(removed);
            var decoded = Assert.IsType<AgentRemoved>(EventCodec.Decode(1, encoded.TypeName, encoded.Version, encoded.Payload));

            Assert.Equal(removed, decoded);
            Assert.Equal((at.Ticks, at.Offset), (decoded.At.Ticks, decoded.At.Offset));
        });
    }
}
