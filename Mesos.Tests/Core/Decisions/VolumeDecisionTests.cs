using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Reservations;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

public sealed class VolumeDecisionTests
{
    private const string Reserved = "disk(eng@f-principal):128";
    private const string Volume = "disk(eng@f-principal)[db:data:rw:f-principal]:64";

    private static (ClusterBuilder B, AgentId Agent, FrameworkId Framework, OfferState Offer) OfferToEng(string agentResources = "cpus:4;mem:4096;disk:1000")
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", agentResources);
        var framework = b.Subscribe(TestCluster.Framework("f", ["eng"]));
        b.Allocate();
        return (b, agent, framework, b.Offer(framework, agent));
    }

    private static AcceptOffers Accept(FrameworkId framework, OfferState offer, (ReservationOperationKind Kind, string Resources)[] operations, params string[] taskResources) =>
        new(framework, [offer.Id], [.. taskResources.Select((r, i) => TestCluster.Task("t" + i, offer.AgentId, r))], 0)
        {
            Principal = "f",
            Reservations = [.. operations.Select(o => new ReservationOperation(o.Kind, TestCluster.Res(o.Resources)))],
        };

    [Fact]
    public void Accept_ReserveCreateAndLaunchOnTheVolume_InOneCall()
    {
        var (b, agent, framework, offer) = OfferToEng();
        var command = Accept(framework, offer, [(ReservationOperationKind.Reserve, Reserved), (ReservationOperationKind.Create, Volume)], "cpus:1;mem:128;" + Volume);

        DecideSpec.When(b, command).ThenEvents(
            new ResourcesReserved(agent, TestCluster.Res(Reserved), offer.Id) { At = b.Now, Principal = "f" },
            new VolumesCreated(agent, TestCluster.Res(Volume), offer.Id) { At = b.Now, Principal = "f" },
            new TaskLaunchedV2(framework, command.Tasks[0], new ExecutorId("t0"), offer.Id, TaskLaunchDetails.None) { At = b.Now, Principal = "f" },
            new OfferAccepted(offer.Id, b.Now) { At = b.Now, Principal = "f" });
    }

    [Theory]
    [InlineData("disk[db:data:rw:f-principal]:64", "Invalid resources: Invalid DiskInfo: Persistent volumes cannot be created from unreserved resources")]
    [InlineData("disk(eng@f-principal)[a%2Fb:data:rw:f-principal]:64", "Invalid DiskInfo: Invalid persistence ID for persistent volume: 'a/b' contains invalid characters")]
    [InlineData("disk(eng@f-principal)[..:data:rw:f-principal]:64", "Invalid persistence ID for persistent volume: '..' is disallowed")]
    [InlineData("disk(eng@f-principal)[db:%2Fabs:rw:f-principal]:64", "Absolute container path '/abs' is not supported for persistent volume")]
    [InlineData("disk(eng@f-principal)[db:a%2F..%2F..%2Fx:rw:f-principal]:64", "Container path 'a/../../x' of persistent volume must be a relative path inside the sandbox")]
    [InlineData("disk(eng@f-principal)[db:data:ro:f-principal]:64", "Not a persistent volume: Read-only persistent volume not supported")]
    [InlineData("disk(eng@f-principal)[db:data:rw]:64", "Create volume operation has been attempted by principal 'f-principal', but there is a volume in the operation with no principal set in 'DiskInfo.Persistence'")]
    [InlineData("disk(eng@f-principal)[db:data:rw:mallory]:64", "with principal 'mallory' set in 'DiskInfo.Persistence'")]
    [InlineData("cpus(eng@f-principal)[db:data:rw:f-principal]:1", "Invalid resources: DiskInfo should not be set for cpus resource")]
    [InlineData("disk(eng@f-principal)[db:data:rw:f-principal]:64;disk(eng@f-principal)[db:logs:rw:f-principal]:32", "Persistence ID 'db' is not unique")]
    [InlineData("disk(eng@f-principal)[db:data:rw:f-principal]:500", "Invalid CREATE operation: disk(eng@f-principal):500 are not in the offers")]
    public void Accept_Create_Invalid_IsRefusedWithMesosMessage(string volumes, string message)
    {
        var (b, _, framework, offer) = OfferToEng();

        DecideSpec.When(b, Accept(framework, offer, [(ReservationOperationKind.Reserve, Reserved), (ReservationOperationKind.Create, volumes)]))
            .ThenError(DecideErrorKind.InvalidArgument, message);
    }

    [Fact]
    public void Accept_CreateAndDestroyAgain_LeavesTheReservedDisk()
    {
        var (b, agent, framework, offer) = OfferToEng();
        b.Execute(Accept(framework, offer, [(ReservationOperationKind.Reserve, Reserved), (ReservationOperationKind.Create, Volume), (ReservationOperationKind.Destroy, Volume)]));

        Assert.Equal(TestCluster.Res("cpus:4;mem:4096;disk:872;" + Reserved), b.State.Agents[agent].Info.Resources);
    }

    [Fact]
    public void Destroy_OfAVolumeThatIsNotThere_OrInUse_IsRefused()
    {
        var (b, agent, framework, offer) = OfferToEng();
        b.Execute(Accept(framework, offer, [(ReservationOperationKind.Reserve, Reserved), (ReservationOperationKind.Create, Volume)], "cpus:1;mem:128;" + Volume));

        DecideSpec.When(b, new DestroyVolumes(agent, TestCluster.Res("disk(eng@f-principal)[other:data:rw:f-principal]:64")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "Persistent volumes not found");
        DecideSpec.When(b, new DestroyVolumes(agent, TestCluster.Res(Volume)) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "Persistent volumes in use");
        DecideSpec.When(b, new DestroyVolumes(agent, TestCluster.Res("disk(eng@f-principal):64")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "Not a persistent volume: Resource disk(eng@f-principal):64 does not have DiskInfo");
    }

    [Fact]
    public void Unreserve_OfAVolume_IsRefusedUntilItIsDestroyed()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:1;mem:128;disk:100");
        b.Execute(new ReserveResources(agent, TestCluster.Res("disk(eng@admin):100")) { Principal = "operator" });
        b.Execute(new CreateVolumes(agent, TestCluster.Res("disk(eng@admin)[db:data:rw]:100")) { Principal = "operator" });

        DecideSpec.When(b, new UnreserveResources(agent, TestCluster.Res("disk(eng@admin)[db:data:rw]:100")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "A dynamically reserved persistent volume disk(eng@admin)[db:data:rw]:100 cannot be unreserved directly. Please destroy the persistent volume first then unreserve the resource");
        DecideSpec.When(b, new UnreserveResources(agent, TestCluster.Res("disk(eng@admin):100")) { Principal = "operator" })
            .ThenError(DecideErrorKind.Conflict, "does not have");
    }

    [Fact]
    public void OperatorCreate_OnAnUnknownAgent_ADuplicateId_OrDiskThatIsNotFree_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus:1;mem:128;disk(eng):100");
        b.Execute(new CreateVolumes(agent, TestCluster.Res("disk(eng)[db:data:rw]:10")) { Principal = "operator" });

        DecideSpec.When(b, new CreateVolumes(new AgentId("nope"), TestCluster.Res("disk(eng)[x:data:rw]:10")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "No agent found with specified ID 'nope'");
        DecideSpec.When(b, new CreateVolumes(agent, TestCluster.Res("disk(eng)[db:other:rw]:10")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "Persistence ID 'db' is not unique");
        DecideSpec.When(b, new CreateVolumes(agent, TestCluster.Res("disk(eng)[x:data:rw]:200")) { Principal = "operator" })
            .ThenError(DecideErrorKind.Conflict, "does not have disk(eng):200 free to create volumes");
    }

    [Fact]
    public void OperatorCreate_RescindsTheOfferHoldingTheDisk()
    {
        var (b, agent, _, offer) = OfferToEng("cpus:1;mem:128;disk(eng):100");

        DecideSpec.When(b, new CreateVolumes(agent, TestCluster.Res("disk(eng)[db:data:rw]:100")) { Principal = "operator" }).ThenEvents(
            new OfferRescinded(offer.Id, "its resources are needed to create volumes on the operator's request") { At = b.Now, Principal = "operator" },
            new VolumesCreated(agent, TestCluster.Res("disk(eng)[db:data:rw]:100"), null) { At = b.Now, Principal = "operator" });
    }
}
