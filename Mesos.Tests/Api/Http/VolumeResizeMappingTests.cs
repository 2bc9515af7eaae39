using Mesos.Core.Reservations;
using Mesos.Core.Resources;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Api.Http;
using Mesos.Protocol.Mapping;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Tests.Api.Http;

/// <summary>GROW_VOLUME and SHRINK_VOLUME as the scheduler edges read them: Mesos' JSON Offer.Operation and our gRPC ReservationOperation.</summary>
public sealed class VolumeResizeMappingTests
{
    private const string Volume = """{"name":"disk","type":"SCALAR","scalar":{"value":60},"role":"eng","disk":{"persistence":{"id":"db"},"volume":{"container_path":"data","mode":"RW"}}}""";

    private static V1.AcceptRequest Accept(string operation)
    {
        var call = SchedulerCallJson.Parse(System.Text.Encoding.UTF8.GetBytes(
            """{"type":"ACCEPT","framework_id":{"value":"f"},"accept":{"offer_ids":[{"value":"o"}],"operations":[""" + operation + """]}}"""));
        return Assert.IsType<V1.AcceptRequest>(call.Payload);
    }

    [Fact]
    public void GrowVolume_InJson_BecomesAGrowOfTheVolumeByTheAddition()
    {
        var accept = Accept("""{"type":"GROW_VOLUME","grow_volume":{"volume":""" + Volume + ""","addition":{"name":"disk","type":"SCALAR","scalar":{"value":40},"role":"eng"}}}""");

        var operation = ProtoMapping.ToCore(Assert.Single(accept.Reservations));

        Assert.Equal(ReservationOperationKind.GrowVolume, operation.Kind);
        Assert.Equal(ResourceSet.Parse("disk(eng)[db:data:rw]:60"), operation.Resources);
        Assert.Equal(ResourceSet.Parse("disk(eng):40"), operation.Addition);
    }

    [Fact]
    public void ShrinkVolume_InJson_BecomesAShrinkByTheSubtractedValue()
    {
        var accept = Accept("""{"type":"SHRINK_VOLUME","shrink_volume":{"volume":""" + Volume + ""","subtract":{"value":12.5}}}""");

        var operation = ProtoMapping.ToCore(Assert.Single(accept.Reservations));

        Assert.Equal(ReservationOperationKind.ShrinkVolume, operation.Kind);
        Assert.Equal(ResourceSet.Parse("disk(eng)[db:data:rw]:60"), operation.Resources);
        Assert.Equal(ScalarValue.FromDouble(12.5), operation.Subtract);
    }

    [Theory]
    [InlineData("""{"type":"GROW_VOLUME"}""", "Missing required fields: accept.operations.grow_volume")]
    [InlineData("""{"type":"GROW_VOLUME","grow_volume":{"addition":{"name":"disk","type":"SCALAR","scalar":{"value":1}}}}""", "Missing required fields: accept.operations.grow_volume.volume")]
    [InlineData("""{"type":"GROW_VOLUME","grow_volume":{"volume":""" + Volume + """}}""", "Missing required fields: accept.operations.grow_volume.addition")]
    [InlineData("""{"type":"SHRINK_VOLUME","shrink_volume":{"volume":""" + Volume + """}}""", "Missing required fields: accept.operations.shrink_volume.subtract")]
    [InlineData("""{"type":"SHRINK_VOLUME","shrink_volume":{"volume":""" + Volume + ""","subtract":{}}}""", "Missing required fields: accept.operations.shrink_volume.subtract.value")]
    public void AResizeMissingARequiredField_IsABadRequest(string operation, string message)
    {
        var error = Assert.Throws<HttpCallError>(() => Accept(operation));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Failed to convert JSON into Call protobuf: " + message, error.Message);
    }

    [Fact]
    public void AGrpcShrink_ByANonFiniteValue_IsAWireError()
    {
        var operation = new V1.ReservationOperation
        {
            Kind = V1.ReservationOperation.Types.Kind.ShrinkVolume,
            Resources = { WireForm.Of(ResourceSet.Parse("disk(eng)[db:data:rw]:60")) },
            Subtract = double.PositiveInfinity,
        };

        var error = Assert.Throws<WireFormatException>(() => ProtoMapping.ToCore(operation));
        Assert.StartsWith("shrink_volume.subtract: ", error.Message, StringComparison.Ordinal);
    }
}
