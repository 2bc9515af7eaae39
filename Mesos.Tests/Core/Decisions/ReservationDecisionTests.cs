using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Reservations;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

public sealed class ReservationDecisionTests
{
    private static (ClusterBuilder B, AgentId Agent, FrameworkId Framework, OfferState Offer) OfferToEng(params FrameworkCapability[] capabilities)
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe(TestCluster.Framework("f", ["eng"], 3600, capabilities));
        b.Allocate();
        return (b, agent, framework, b.Offer(framework, agent));
    }

    private static AcceptOffers Accept(FrameworkId framework, OfferState offer, ReservationOperationKind kind, string resources, params string[] taskResources) =>
        new(framework, [offer.Id], [.. taskResources.Select((r, i) => TestCluster.Task("t" + i, offer.AgentId, r))], 0)
        {
            Principal = "f",
            Reservations = [new ReservationOperation(kind, TestCluster.Res(resources))],
        };

    [Fact]
    public void Accept_Reserve_ThenLaunchOnTheReservation_ReservesOutOfTheOfferBeforeTheLaunch()
    {
        var (b, agent, framework, offer) = OfferToEng();
        var command = Accept(framework, offer, ReservationOperationKind.Reserve, "cpus(eng@f-principal):2;mem(eng@f-principal):512", "cpus(eng@f-principal):1;mem(eng@f-principal):256");

        DecideSpec.When(b, command).ThenEvents(
            new ResourcesReserved(agent, TestCluster.Res("cpus(eng@f-principal):2;mem(eng@f-principal):512"), offer.Id) { At = b.Now, Principal = "f" },
            new TaskLaunchedV2(framework, command.Tasks[0], new ExecutorId("t0"), offer.Id, TaskLaunchDetails.None) { At = b.Now, Principal = "f" },
            new OfferAccepted(offer.Id, b.Now) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Accept_Reserve_ForARoleTheFrameworkIsNotIn_IsInvalid()
    {
        var (b, _, framework, offer) = OfferToEng();

        DecideSpec.When(b, Accept(framework, offer, ReservationOperationKind.Reserve, "cpus(ops@f-principal):1"))
            .ThenError(DecideErrorKind.InvalidArgument, "role 'ops'", "'eng'");
    }

    [Fact]
    public void Accept_Reserve_WithAnotherPrincipal_OrNone_IsInvalid()
    {
        var (b, _, framework, offer) = OfferToEng();

        DecideSpec.When(b, Accept(framework, offer, ReservationOperationKind.Reserve, "cpus(eng@mallory):1"))
            .ThenError(DecideErrorKind.InvalidArgument, "principal 'f-principal'", "'mallory'");
        DecideSpec.When(b, Accept(framework, offer, ReservationOperationKind.Reserve, "cpus(eng@):1"))
            .ThenError(DecideErrorKind.InvalidArgument, "with no principal");
    }

    [Fact]
    public void Accept_Reserve_MoreThanTheOfferHolds_IsInvalid()
    {
        var (b, _, framework, offer) = OfferToEng();

        DecideSpec.When(b, Accept(framework, offer, ReservationOperationKind.Reserve, "cpus(eng@f-principal):64"))
            .ThenError(DecideErrorKind.InvalidArgument, "cpus:64", "not in the offers");
    }

    [Fact]
    public void Accept_Reserve_ForStar_OrStatic_IsInvalid()
    {
        var (b, _, framework, offer) = OfferToEng();

        DecideSpec.When(b, Accept(framework, offer, ReservationOperationKind.Reserve, "cpus(eng):1"))
            .ThenError(DecideErrorKind.InvalidArgument, "DYNAMIC");
        Assert.Throws<FormatException>(() => TestCluster.Res("cpus(*@f-principal):1"));
    }

    [Fact]
    public void Accept_Unreserve_OfAStaticReservation_IsInvalid_ButOfADynamicOne_GivesItBack()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus(eng):2;cpus:2;mem:1024");
        var framework = b.Subscribe(TestCluster.Framework("f", ["eng"]));
        b.Allocate();
        var offer = b.Offer(framework, agent);

        DecideSpec.When(b, Accept(framework, offer, ReservationOperationKind.Unreserve, "cpus(eng):1"))
            .ThenError(DecideErrorKind.InvalidArgument, "not dynamically reserved");

        b.Execute(Accept(framework, offer, ReservationOperationKind.Reserve, "cpus(eng@f-principal):1"));
        b.AdvanceSeconds(1);
        var again = b.Allocate().Single();
        Assert.Contains("cpus(eng@f-principal):1", again.Resources.ToString(), StringComparison.Ordinal);

        DecideSpec.When(b, Accept(framework, again, ReservationOperationKind.Unreserve, "cpus(eng@f-principal):1"))
            .ThenEvents(
                new ResourcesUnreserved(agent, TestCluster.Res("cpus(eng@f-principal):1"), again.Id) { At = b.Now, Principal = "f" },
                new OfferAccepted(again.Id, b.Now) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Accept_RefiningAReservation_NeedsTheReservationRefinementCapability()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus(eng):2;mem:1024");
        var plain = b.Subscribe(TestCluster.Framework("f", ["eng/web"]));
        b.Allocate();
        var offer = b.Offer(plain, agent);

        DecideSpec.When(b, Accept(plain, offer, ReservationOperationKind.Reserve, "cpus(eng,eng/web@f-principal):1"))
            .ThenError(DecideErrorKind.InvalidArgument, "RESERVATION_REFINEMENT");
    }

    [Fact]
    public void OperatorReserve_OfAnUnknownAgent_IsABadRequest()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1");

        DecideSpec.When(b, new ReserveResources(new AgentId("m1-S99"), TestCluster.Res("cpus(eng@):1")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "No agent found", "m1-S99");
    }

    [Fact]
    public void OperatorReserve_OfMoreThanTheAgentHasFree_IsAConflict()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        b.Allocate();
        b.Launch(b.Offer(framework, agent), "t1", "cpus:3;mem:128");

        DecideSpec.When(b, new ReserveResources(agent, TestCluster.Res("cpus(eng@):2")) { Principal = "operator" })
            .ThenError(DecideErrorKind.Conflict, "cpus:2", "free to reserve");
    }

    [Fact]
    public void OperatorReserve_OfOfferedResources_RescindsTheOfferFirst()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        b.Subscribe();
        var offer = b.Allocate().Single();

        var decision = DecideSpec.When(b, new ReserveResources(agent, TestCluster.Res("cpus(eng@admin):1")) { Principal = "operator" });

        Assert.Null(decision.Error);
        Assert.Equal(offer.Id, Assert.IsType<OfferRescinded>(decision.Events[0]).OfferId);
        Assert.Equal(new ResourcesReserved(agent, TestCluster.Res("cpus(eng@admin):1"), null) { At = b.Now, Principal = "operator" }, decision.Events[1]);
    }

    [Fact]
    public void OperatorUnreserve_OfAStaticReservation_IsABadRequest_AndOfAReservationInUse_AConflict()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus(eng):1;cpus:4;mem:1024");
        b.Execute(new ReserveResources(agent, TestCluster.Res("cpus(eng@admin):2;mem(eng@admin):256")) { Principal = "operator" });
        var framework = b.Subscribe(TestCluster.Framework("f", ["eng"]));
        b.Allocate();
        b.Launch(b.Offer(framework, agent), "t1", "cpus(eng@admin):2;mem(eng@admin):128");

        DecideSpec.When(b, new UnreserveResources(agent, TestCluster.Res("cpus(eng):1")) { Principal = "operator" })
            .ThenError(DecideErrorKind.InvalidArgument, "not dynamically reserved");
        DecideSpec.When(b, new UnreserveResources(agent, TestCluster.Res("cpus(eng@admin):1")) { Principal = "operator" })
            .ThenError(DecideErrorKind.Conflict, "free to unreserve");
        DecideSpec.When(b, new UnreserveResources(agent, TestCluster.Res("mem(eng@admin):128")) { Principal = "operator" })
            .ThenEvents(new ResourcesUnreserved(agent, TestCluster.Res("mem(eng@admin):128"), null) { At = b.Now, Principal = "operator" });
    }
}
