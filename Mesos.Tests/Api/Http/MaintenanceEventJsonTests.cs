using Mesos.Master.Api.Http;
using Mesos.Protocol.V1;
using Wire = Mesos.Protocol.Wire.Scheduler;

namespace Mesos.Tests.Api.Http;

/// <summary>Golden JSON of the maintenance scheduler events and offer field, and their protobuf with Mesos 1.11's field numbers.</summary>
public sealed class MaintenanceEventJsonTests
{
    private static string Render(SchedulerEvent e) => System.Text.Encoding.ASCII.GetString(SchedulerEventJson.Render(e));

    private static Wire.Event Protobuf(SchedulerEvent e) =>
        Wire.Event.Parser.ParseFrom(WireEncoding.JsonToProtobuf(Wire.Event.Descriptor, SchedulerEventJson.Render(e)));

    [Fact]
    public void InverseOffers_AndTheirProtobuf()
    {
        var e = new SchedulerEvent { InverseOffers = new SchedulerEvent.Types.InverseOffers() };
        e.InverseOffers.InverseOffers_.Add(new InverseOffer
        {
            Id = "m-O7",
            FrameworkId = "m-0000",
            AgentId = "m-S0",
            Hostname = "agent1",
            Ip = "10.0.0.1",
            Port = 5051,
            Unavailability = new Unavailability { StartNanoseconds = 1_767_225_600_000_000_000, DurationNanoseconds = 3_600_000_000_000 },
        });

        Assert.Equal(
            """{"type":"INVERSE_OFFERS","inverse_offers":{"inverse_offers":[{"id":{"value":"m-O7"},"url":{"scheme":"http","address":{"hostname":"agent1","ip":"10.0.0.1","port":5051},"path":"/slave(1)"},"framework_id":{"value":"m-0000"},"agent_id":{"value":"m-S0"},"unavailability":{"start":{"nanoseconds":1767225600000000000},"duration":{"nanoseconds":3600000000000}}}]}}""",
            Render(e));
        var wire = Protobuf(e);
        Assert.Equal(Wire.Event.Types.Type.InverseOffers, wire.Type);
        var inverse = Assert.Single(wire.InverseOffers.InverseOffers_);
        Assert.Equal(("m-O7", "m-S0", 1_767_225_600_000_000_000L, 3_600_000_000_000L), (inverse.Id.Value, inverse.AgentId.Value, inverse.Unavailability.Start.Nanoseconds, inverse.Unavailability.Duration.Nanoseconds));
        Assert.Equal(5051, inverse.Url.Address.Port);
    }

    [Fact]
    public void RescindInverseOffer_AndItsProtobuf()
    {
        var e = new SchedulerEvent { RescindInverseOffer = new SchedulerEvent.Types.RescindInverseOffer { InverseOfferId = "m-O7" } };

        Assert.Equal("""{"type":"RESCIND_INVERSE_OFFER","rescind_inverse_offer":{"inverse_offer_id":{"value":"m-O7"}}}""", Render(e));
        Assert.Equal("m-O7", Protobuf(e).RescindInverseOffer.InverseOfferId.Value);
    }

    [Fact]
    public void Offer_OfADrainingAgent_CarriesItsUnavailabilityBeforeAllocationInfo_OpenEndedWithoutDuration()
    {
        var offer = new Offer
        {
            Id = "m-O1",
            FrameworkId = "m-0000",
            AgentId = "m-S0",
            Hostname = "agent1",
            AllocationInfo = new AllocationInfo { Role = "*" },
            Unavailability = new Unavailability { StartNanoseconds = 5 },
        };
        var e = new SchedulerEvent { Offers = new SchedulerEvent.Types.Offers() };
        e.Offers.Offers_.Add(offer);

        Assert.Equal(
            """{"type":"OFFERS","offers":{"offers":[{"id":{"value":"m-O1"},"framework_id":{"value":"m-0000"},"agent_id":{"value":"m-S0"},"hostname":"agent1","resources":[],"unavailability":{"start":{"nanoseconds":5}},"allocation_info":{"role":"*"}}]}}""",
            Render(e));
        var wire = Assert.Single(Protobuf(e).Offers.Offers_);
        Assert.Equal(5, wire.Unavailability.Start.Nanoseconds);
        Assert.Null(wire.Unavailability.Duration);
    }
}
