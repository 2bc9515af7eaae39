using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Reservations;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

public sealed class VolumeResizeDecisionTests
{
    private const string Volume = "disk(eng)[db:data:rw]:60";

    /// <summary>An agent with disk statically reserved for eng holding a 60 MB volume, offered to a framework of eng.</summary>
    private static (ClusterBuilder B, AgentId Agent, FrameworkId Framework, OfferState Offer) OfferWithVolume()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;disk(eng):100;disk:200");
        b.Execute(new CreateVolumes(agent, TestCluster.Res(Volume)) { Principal = "operator" });
        var framework = b.Subscribe(TestCluster.Framework("f", ["eng"]));
        b.Allocate();
        return (b, agent, framework, b.Offer(framework, agent));
    }

    private static ReservationOperation Grow(string volume, string addition) =>
        new(ReservationOperationKind.GrowVolume, TestCluster.Res(volume)) { Addition = TestCluster.Res(addition) };

    private static ReservationOperation Shrink(string volume, double subtract) =>
        new(ReservationOperationKind.ShrinkVolume, TestCluster.Res(volume)) { Subtract = ScalarValue.FromDouble(subtract) };

    private static AcceptOffers Accept(FrameworkId framework, OfferState offer, ReservationOperation operation, params string[] taskResources) =>
        new(framework, [offer.Id], [.. taskResources.Select((r, i) => TestCluster.Task("t" + i, offer.AgentId, r))], 0)
        {
            Principal = "f",
            Reservations = [operation],
        };

    [Fact]
    public void Accept_GrowAndLaunchOnTheGrownVolume_InOneCall()
    {
        var (b, agent, framework, offer) = OfferWithVolume();
        var command = Accept(framework, offer, Grow(Volume, "disk(eng):30"), "cpus:1;mem:128;disk(eng)[db:data:rw]:90");

        DecideSpec.When(b, command).ThenEvents(
            new VolumeGrown(agent, TestCluster.Res(Volume), TestCluster.Res("disk(eng):30"), offer.Id) { At = b.Now, Principal = "f" },
            new TaskLaunchedV2(framework, command.Tasks[0], new ExecutorId("t0"), offer.Id, TaskLaunchDetails.None) { At = b.Now, Principal = "f" },
            new OfferAccepted(offer.Id, b.Now) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Accept_ShrinkAndLaunchOnTheFreedDisk_InOneCall()
    {
        var (b, agent, framework, offer) = OfferWithVolume();
        var command = Accept(framework, offer, Shrink(Volume, 20), "cpus:1;mem:128;disk(eng):60;disk(eng)[db:data:rw]:40");

        DecideSpec.When(b, command).ThenEvents(
            new VolumeShrunk(agent, TestCluster.Res(Volume), TestCluster.Res("disk(eng):20"), offer.Id) { At = b.Now, Principal = "f" },
            new TaskLaunchedV2(framework, command.Tasks[0], new ExecutorId("t0"), offer.Id, TaskLaunchDetails.None) { At = b.Now, Principal = "f" },
            new OfferAccepted(offer.Id, b.Now) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Accept_GrowThenShrink_LeavesTheAgentWithTheResizedVolume_AndTheAllocatorOffersIt()
    {
        var (b, agent, framework, offer) = OfferWithVolume();
        b.Execute(Accept(framework, offer, Grow(Volume, "disk(eng):40")));
        Assert.Equal(TestCluster.Res("cpus:4;mem:1024;disk:200;disk(eng)[db:data:rw]:100"), b.State.Agents[agent].Info.Resources);

        b.Allocate();
        offer = b.Offer(framework, agent);
        Assert.Contains(TestCluster.Res("disk(eng)[db:data:rw]:100").Entries[0], offer.Resources.Entries);
        b.Execute(Accept(framework, offer, Shrink("disk(eng)[db:data:rw]:100", 75)));
        Assert.Equal(TestCluster.Res("cpus:4;mem:1024;disk:200;disk(eng):75;disk(eng)[db:data:rw]:25"), b.State.Agents[agent].Info.Resources);
    }

    [Theory]
    [InlineData(Volume, "disk(eng):0", "Invalid GROW_VOLUME operation: The size of 'GrowVolume.addition' field must be greater than zero")]
    [InlineData(Volume, "ports(eng):[1-2]", "The size of 'GrowVolume.addition' field must be greater than zero")]
    [InlineData("disk(eng):60", "disk(eng):10", "Invalid GROW_VOLUME operation: Invalid persistent volume in the 'GrowVolume.volume' field: Resource disk(eng):60 does not have DiskInfo")]
    [InlineData("disk(eng)[db:data:ro]:60", "disk(eng):10", "Invalid persistent volume in the 'GrowVolume.volume' field: Read-only persistent volume not supported")]
    [InlineData("disk[db:data:rw]:60", "disk:10", "Invalid resource in the 'GrowVolume.volume' field: Invalid DiskInfo: Persistent volumes cannot be created from unreserved resources")]
    [InlineData(Volume, "disk(ops):10", "Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields")]
    [InlineData(Volume, "disk(eng@f-principal):10", "Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields")]
    [InlineData(Volume, "cpus(eng):1", "Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields")]
    [InlineData(Volume, "disk(eng)[other:data:rw]:10", "Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields")]
    [InlineData("disk(eng)[nope:data:rw]:60", "disk(eng):10", "Invalid GROW_VOLUME operation: disk(eng):10;disk(eng)[nope:data:rw]:60 are not in the offers")]
    [InlineData("disk(eng)[db:data:rw]:50", "disk(eng):10", "Invalid GROW_VOLUME operation: disk(eng):10;disk(eng)[db:data:rw]:50 are not in the offers")]
    [InlineData(Volume, "disk(eng):41", "Invalid GROW_VOLUME operation: disk(eng):41;disk(eng)[db:data:rw]:60 are not in the offers")]
    public void Accept_Grow_Invalid_IsRefusedWithMesosMessage(string volume, string addition, string message)
    {
        var (b, _, framework, offer) = OfferWithVolume();

        DecideSpec.When(b, Accept(framework, offer, Grow(volume, addition))).ThenError(DecideErrorKind.InvalidArgument, message);
    }

    [Theory]
    [InlineData(Volume, 0, "Invalid SHRINK_VOLUME operation: Value of 'ShrinkVolume.subtract' must be greater than zero")]
    [InlineData(Volume, 60, "Invalid SHRINK_VOLUME operation: Value of 'ShrinkVolume.subtract' must be smaller than the size of 'ShrinkVolume.volume'")]
    [InlineData(Volume, 75, "Value of 'ShrinkVolume.subtract' must be smaller than the size of 'ShrinkVolume.volume'")]
    [InlineData("disk(eng):40", 10, "Invalid SHRINK_VOLUME operation: Invalid persistent volume in the 'ShrinkVolume.volume' field: Resource disk(eng):40 does not have DiskInfo")]
    [InlineData("disk(eng)[db:a%2F..%2F..%2Fx:rw]:60", 10, "Invalid resource in the 'ShrinkVolume.volume' field: Invalid DiskInfo: Container path 'a/../../x' of persistent volume must be a relative path inside the sandbox")]
    [InlineData("disk(eng)[nope:data:rw]:60", 10, "Invalid SHRINK_VOLUME operation: disk(eng)[nope:data:rw]:60 are not in the offers")]
    public void Accept_Shrink_Invalid_IsRefusedWithMesosMessage(string volume, double subtract, string message)
    {
        var (b, _, framework, offer) = OfferWithVolume();

        DecideSpec.When(b, Accept(framework, offer, Shrink(volume, subtract))).ThenError(DecideErrorKind.InvalidArgument, message);
    }

    [Fact]
    public void Validate_OnAnAgentWithoutTheResizeVolumeCapability_GivesMesosMessage()
    {
        var volume = TestCluster.Res(Volume);

        Assert.Equal("Volume disk(eng)[db:data:rw]:60 cannot be grown on an agent without RESIZE_VOLUME capability",
            VolumeResizeDecisions.ValidateGrow(volume, TestCluster.Res("disk(eng):1"), agentCanResize: false));
        Assert.Equal("Volume disk(eng)[db:data:rw]:60 cannot be shrunk on an agent without RESIZE_VOLUME capability",
            VolumeResizeDecisions.ValidateShrink(volume, ScalarValue.FromDouble(1), agentCanResize: false));
        Assert.Null(VolumeResizeDecisions.ValidateGrow(volume, TestCluster.Res("disk(eng):1"), agentCanResize: true));
        Assert.Null(VolumeResizeDecisions.ValidateShrink(volume, ScalarValue.FromDouble(1), agentCanResize: true));
    }

    [Fact]
    public void OperatorGrow_RescindsTheOfferHoldingTheVolume_AndRecordsTheGrowth()
    {
        var (b, agent, _, offer) = OfferWithVolume();

        DecideSpec.When(b, new GrowVolume(agent, TestCluster.Res(Volume), TestCluster.Res("disk(eng):40")) { Principal = "operator" }).ThenEvents(
            new OfferRescinded(offer.Id, "its resources are needed to grow a volume on the operator's request") { At = b.Now, Principal = "operator" },
            new VolumeGrown(agent, TestCluster.Res(Volume), TestCluster.Res("disk(eng):40"), null) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void OperatorShrink_OfAVolumeNotOffered_RecordsTheShrinkAlone()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:4;mem:1024;disk(eng):100");
        b.Execute(new CreateVolumes(agent, TestCluster.Res(Volume)) { Principal = "operator" });

        DecideSpec.When(b, new ShrinkVolume(agent, TestCluster.Res(Volume), ScalarValue.FromDouble(12.5)) { Principal = "operator" }).ThenEvents(
            new VolumeShrunk(agent, TestCluster.Res(Volume), TestCluster.Res("disk(eng):12.5"), null) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void OperatorResize_OnAnUnknownAgent_AMalformedOperation_AnUnknownVolume_OrAVolumeInUse_IsRefused()
    {
        var (b, agent, framework, offer) = OfferWithVolume();
        var prefix = $"on agent {agent} at slave(1)@a1:5051 (a1): ";

        DecideSpec.When(b, new GrowVolume(new AgentId("nope"), TestCluster.Res(Volume), TestCluster.Res("disk(eng):1")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "No agent found with specified ID 'nope'");
        DecideSpec.When(b, new ShrinkVolume(new AgentId("nope"), TestCluster.Res(Volume), ScalarValue.FromDouble(1)) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "No agent found with specified ID 'nope'");
        DecideSpec.When(b, new GrowVolume(agent, TestCluster.Res("disk(eng):60"), TestCluster.Res("disk(eng):1")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "Invalid GROW_VOLUME operation " + prefix + "Invalid persistent volume in the 'GrowVolume.volume' field: Resource disk(eng):60 does not have DiskInfo");
        DecideSpec.When(b, new ShrinkVolume(agent, TestCluster.Res(Volume), ScalarValue.FromDouble(100)) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "Invalid SHRINK_VOLUME operation " + prefix + "Value of 'ShrinkVolume.subtract' must be smaller than the size of 'ShrinkVolume.volume'");
        DecideSpec.When(b, new GrowVolume(agent, TestCluster.Res("disk(eng)[nope:data:rw]:60"), TestCluster.Res("disk(eng):1")) { Principal = "operator" })
            .ThenError(DecideErrorKind.Conflict, "Invalid GROW_VOLUME Operation: ", " does not contain disk(eng)[nope:data:rw]:60");
        DecideSpec.When(b, new GrowVolume(agent, TestCluster.Res(Volume), TestCluster.Res("disk(eng):41")) { Principal = "operator" })
            .ThenError(DecideErrorKind.Conflict, " does not contain disk(eng):41");
        DecideSpec.When(b, new ShrinkVolume(agent, TestCluster.Res("disk(eng)[nope:data:rw]:60"), ScalarValue.FromDouble(1)) { Principal = "operator" })
            .ThenError(DecideErrorKind.Conflict, "Invalid SHRINK_VOLUME Operation: ", " does not contain disk(eng)[nope:data:rw]:60");

        b.Execute(Accept(framework, offer, Grow(Volume, "disk(eng):1"), "cpus:1;mem:128;disk(eng)[db:data:rw]:61"));
        DecideSpec.When(b, new ShrinkVolume(agent, TestCluster.Res("disk(eng)[db:data:rw]:61"), ScalarValue.FromDouble(1)) { Principal = "operator" })
            .ThenError(DecideErrorKind.Conflict, " does not contain disk(eng)[db:data:rw]:61");
    }
}
