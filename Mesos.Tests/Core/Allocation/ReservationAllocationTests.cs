using Mesos.Core.Allocation.Explain;
using Mesos.Core.Commands;
using Mesos.Core.Frameworks;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Allocation;

/// <summary>Dynamic reservations as the allocator sees them: only their role and its subroles get them.</summary>
public sealed class ReservationAllocationTests
{
    [Fact]
    public void DynamicallyReservedResources_GoOnlyToTheirRole_AndTheExplanationSaysWhy()
    {
        var world = new AllocatorWorld();
        var agent = world.AddAgent("cpus:4;mem:2048");
        world.Execute(new ReserveResources(agent, ResourceSet.Parse("cpus(eng@admin):4;mem(eng@admin):2048")) { Principal = "operator" });
        var ops = world.Subscribe("ops", "ops");

        Assert.Empty(world.Allocate());
        var reason = Assert.Single(world.Explain(ops), r => r.AgentId == agent);
        Assert.Equal(AllocationReasonKind.ReservedForOtherRoles, reason.Kind);
        Assert.Contains("reserved for another role", AllocationReasonText.Describe(reason), StringComparison.Ordinal);

        var eng = world.Subscribe("web", "eng/web");
        var offer = Assert.Single(world.Allocate());
        Assert.Equal(eng, offer.FrameworkId);
        Assert.Equal(ResourceSet.Parse("cpus(eng@admin):4;mem(eng@admin):2048"), offer.Resources);
    }

    [Fact]
    public void RefinedReservations_AreNotOfferedToAFrameworkWithoutReservationRefinement()
    {
        var world = new AllocatorWorld();
        var agent = world.AddAgent("cpus(eng):2;mem(eng):512");
        world.Execute(new ReserveResources(agent, ResourceSet.Parse("cpus(eng,eng/web@admin):2;mem(eng,eng/web@admin):512")) { Principal = "operator" });
        var plain = world.Subscribe("plain", "eng/web");

        Assert.Empty(world.Allocate());
        var reason = Assert.Single(world.Explain(plain), r => r.AgentId == agent);
        Assert.Equal(AllocationReasonKind.NeedsRefinementCapability, reason.Kind);
        Assert.Contains("RESERVATION_REFINEMENT", AllocationReasonText.Describe(reason), StringComparison.Ordinal);

        var info = new FrameworkInfo("refining", "user", ["eng/web"], 0, false, "refining", "host", string.Empty, [FrameworkCapability.ReservationRefinement]);
        var refining = world.Execute(new SubscribeFramework(info, null) { Principal = "refining" }).OfType<Mesos.Core.Events.FrameworkSubscribed>().Single().FrameworkId;
        var offer = Assert.Single(world.Allocate());
        Assert.Equal(refining, offer.FrameworkId);
        Assert.True(offer.Resources.Entries.All(r => r.IsRefined));
    }

    [Theory]
    [InlineData("cpus:1;mem:64", "cpus:2;mem:32", false)]
    [InlineData("cpus:1;mem:64", "cpus:1;mem:64", true)]
    [InlineData("disk:100|cpus:1;mem:64", "cpus:0.5;mem:16;disk:100", true)]
    public void MinAllocatableResources_FromTheFlag_DecidesWhatIsWorthOffering(string minimum, string agent, bool offered)
    {
        var world = new AllocatorWorld(minAllocatable: minimum);
        world.AddAgent(agent);
        var framework = world.Subscribe("f", "*");

        Assert.Equal(offered, world.Allocate().Any());
        if (!offered)
        {
            var reason = Assert.Single(world.Explain(framework));
            Assert.Equal(AllocationReasonKind.BelowMinimum, reason.Kind);
            Assert.Contains(minimum, AllocationReasonText.Describe(reason), StringComparison.Ordinal);
        }
    }
}
