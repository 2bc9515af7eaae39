using Mesos.Core.Allocation;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Allocation;

public sealed class RoundRobinAllocatorTests
{
    private readonly RoundRobinAllocator allocator = new();

    [Fact]
    public void Allocate_OneFramework_GetsEachActiveAgentWholeInOneOffer()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var f = b.Subscribe();

        var grants = allocator.Allocate(b.State, b.Now, 0);

        var all = TestCluster.Res(TestCluster.AgentResources);
        Assert.Equal([new OfferGrant(f, a1, "*", all), new OfferGrant(f, a2, "*", all)], grants);
    }

    [Fact]
    public void Allocate_MultiRoleFramework_GetsOneOfferPerAgentPerCycle()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1", "cpus(eng):2;cpus:2;mem:1024");
        b.RegisterAgent("a2", "cpus(ops):2;cpus:2;mem:1024");
        b.Subscribe(TestCluster.Framework(roles: ["eng", "ops", "*"], capabilities: FrameworkCapability.MultiRole));

        var grants = allocator.Allocate(b.State, b.Now, 0);

        Assert.Equal(2, grants.Count);
        Assert.All(grants.GroupBy(g => (g.FrameworkId, g.AgentId)), group => Assert.Single(group));
    }

    [Fact]
    public void Allocate_SeveralFrameworksOneAgent_GivesTheAgentToOneOfThem()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        var f = b.Subscribe(TestCluster.Framework("f"));
        b.Subscribe(TestCluster.Framework("g"));
        b.Subscribe(TestCluster.Framework("h"));

        var grant = Assert.Single(allocator.Allocate(b.State, b.Now, 0));

        Assert.Equal(f, grant.FrameworkId);
    }

    [Fact]
    public void Allocate_TwoFrameworksTwoAgents_TakeOneAgentEach()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        var a2 = b.RegisterAgent("a2");
        var f = b.Subscribe(TestCluster.Framework("f"));
        var g = b.Subscribe(TestCluster.Framework("g"));

        var grants = allocator.Allocate(b.State, b.Now, 0);

        Assert.Equal([(f, a1), (g, a2)], grants.Select(x => (x.FrameworkId, x.AgentId)));
    }

    [Fact]
    public void Allocate_SuccessiveCycles_FrameworksTakeTurns()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        var f = b.Subscribe(TestCluster.Framework("f"));
        var g = b.Subscribe(TestCluster.Framework("g"));
        var receivers = new List<FrameworkId>();

        for (var cycle = 0; cycle < 4; cycle++)
        {
            var offer = b.Allocate().Single();
            receivers.Add(offer.FrameworkId);
            b.Execute(new DeclineOffers(offer.FrameworkId, [offer.Id], 0) { Principal = "s" });
        }

        Assert.Equal([f, g, f, g], receivers);
    }

    [Fact]
    public void Allocate_SuppressedFramework_GetsNothingUntilRevived()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        var f = b.Subscribe();
        b.Execute(new SuppressOffers(f, []) { Principal = "f" });

        Assert.Empty(allocator.Allocate(b.State, b.Now, 0));

        b.Execute(new ReviveOffers(f, []) { Principal = "f" });
        Assert.Single(allocator.Allocate(b.State, b.Now, 0));
    }

    [Fact]
    public void Allocate_SuppressedRoleOfAMultiRoleFramework_IsSkippedForItsOtherRoles()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1", "cpus(eng):2;cpus:2;mem:1024");
        var f = b.Subscribe(TestCluster.Framework(roles: ["eng", "*"], capabilities: FrameworkCapability.MultiRole));
        b.Execute(new SuppressOffers(f, ["eng"]) { Principal = "f" });

        var grant = Assert.Single(allocator.Allocate(b.State, b.Now, 0));

        Assert.Equal(("*", TestCluster.Res("cpus:2;mem:1024")), (grant.Role, grant.Resources));
    }

    [Fact]
    public void Allocate_DeclineFilter_BlocksUntilItExpiresThenAllowsAgain()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        var f = b.Subscribe();
        var offer = b.Allocate().Single();
        b.Execute(new DeclineOffers(f, [offer.Id], 60) { Principal = "f" });

        Assert.Empty(allocator.Allocate(b.State, b.Now.AddSeconds(59.999), 0));

        Assert.Equal(offer.Resources, Assert.Single(allocator.Allocate(b.State, b.Now.AddSeconds(60), 0)).Resources);
    }

    [Fact]
    public void Allocate_DeclineFilter_StillBlocksWhenTheAgentHoldsResourcesReservedForAnotherRole()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1", "cpus(ops):1;cpus:4;mem:4096");
        var f = b.Subscribe();
        var offer = b.Allocate().Single();
        Assert.Equal(TestCluster.Res("cpus:4;mem:4096"), offer.Resources);
        b.Execute(new DeclineOffers(f, [offer.Id], 3600) { Principal = "f" });

        Assert.Empty(allocator.Allocate(b.State, b.Now.AddSeconds(1), 0));
    }

    [Fact]
    public void Allocate_DeclineFilter_AllowsAnOfferOfMoreThanWasRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var f = b.Subscribe();
        var task = b.RunningTask(f, agent, "t1");
        var leftover = b.Allocate().Single();
        b.Execute(new DeclineOffers(f, [leftover.Id], 3600) { Principal = "f" });
        Assert.Empty(allocator.Allocate(b.State, b.Now, 0));
        b.UpdateAndAck(task, TaskState.Finished);

        var grant = Assert.Single(allocator.Allocate(b.State, b.Now, 0));

        Assert.Equal(TestCluster.Res(TestCluster.AgentResources), grant.Resources);
    }

    [Fact]
    public void Allocate_FilterOfOneFramework_DoesNotBlockAnother()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        var f = b.Subscribe(TestCluster.Framework("f"));
        var g = b.Subscribe(TestCluster.Framework("g"));
        var offer = b.Allocate().Single();
        Assert.Equal(f, offer.FrameworkId);
        b.Execute(new DeclineOffers(f, [offer.Id], 3600) { Principal = "f" });

        Assert.Equal(g, Assert.Single(allocator.Allocate(b.State, b.Now, 0)).FrameworkId);
        Assert.Equal(g, Assert.Single(allocator.Allocate(b.State with { AllocationCycles = 0 }, b.Now, 0)).FrameworkId);
    }

    [Theory]
    [InlineData("cpus:0.01;disk:100", true)]
    [InlineData("mem:32;disk:100", true)]
    [InlineData("cpus:0.009;mem:31;disk:100;ports:[31000-31010]", false)]
    public void Allocate_AgentBelowTheMinimumAllocatable_IsNotOffered(string resources, bool offered)
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1", resources);
        b.Subscribe();

        Assert.Equal(offered ? 1 : 0, allocator.Allocate(b.State, b.Now, 0).Count);
    }

    [Fact]
    public void Allocate_LeftoverBelowTheMinimumAllocatable_IsNotOffered()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var f = b.Subscribe();
        b.LaunchOn(f, agent, "big", "cpus:3.995;mem:4065");

        Assert.Empty(allocator.Allocate(b.State, b.Now, 0));
    }

    [Fact]
    public void Allocate_ReservedResources_GoOnlyToAFrameworkInThatRole()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1", "cpus(eng):2;cpus:2;mem:1024");
        var everyone = b.Subscribe(TestCluster.Framework("everyone"));
        var eng = b.Subscribe(TestCluster.Framework("eng", ["eng"]));

        var grants = allocator.Allocate(b.State, b.Now, 0);

        Assert.Equal(
            [new OfferGrant(everyone, agent, "*", TestCluster.Res("cpus:2;mem:1024")), new OfferGrant(eng, agent, "eng", TestCluster.Res("cpus(eng):2"))],
            grants);
    }

    [Fact]
    public void Allocate_ReservedResourcesWithNoFrameworkInTheirRole_AreNeverOffered()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1", "cpus(eng):2;mem(eng):1024;cpus:0.001");
        b.Subscribe(TestCluster.Framework("f"));
        b.Subscribe(TestCluster.Framework("ops", ["ops"]));

        Assert.Empty(allocator.Allocate(b.State, b.Now, 0));
    }

    [Fact]
    public void Allocate_InactiveAgentsAndFrameworks_GetNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var disconnected = b.RegisterAgent("a1");
        var unreachable = b.RegisterAgent("a2");
        var active = b.RegisterAgent("a3");
        var gone = b.Subscribe(TestCluster.Framework("gone"));
        var f = b.Subscribe(TestCluster.Framework("f"));
        b.Execute(new DisconnectAgent(disconnected) { Principal = "m1" });
        b.Append(new AgentMarkedUnreachable(unreachable) { At = b.Now, Principal = "m1" });
        b.Execute(new DisconnectFramework(gone) { Principal = "m1" });

        var grant = Assert.Single(allocator.Allocate(b.State, b.Now, 0));

        Assert.Equal((f, active), (grant.FrameworkId, grant.AgentId));
    }

    [Fact]
    public void Allocate_ResourcesAlreadyOffered_AreNotOfferedAgain()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();
        b.Subscribe(TestCluster.Framework("f"));
        b.Subscribe(TestCluster.Framework("g"));
        b.Allocate();

        Assert.Empty(allocator.Allocate(b.State, b.Now, 0));
    }

    [Fact]
    public void Allocate_NoActiveFramework_OffersNothing()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent();

        Assert.Empty(allocator.Allocate(b.State, b.Now, 0));
    }

    [Fact]
    public void Allocate_SameInput_GivesTheSameOutput()
    {
        var b = ClusterBuilder.WithMaster();
        var a1 = b.RegisterAgent("a1");
        b.RegisterAgent("a2", "cpus(eng):2;cpus:2;mem:2048;ports:[31000-31010]");
        b.RegisterAgent("a3");
        var f = b.Subscribe(TestCluster.Framework("f"));
        b.Subscribe(TestCluster.Framework("g", ["eng"]));
        b.Subscribe(TestCluster.Framework("h", ["eng", "*"], 60, FrameworkCapability.MultiRole));
        b.RunningTask(f, a1, "t1");
        var replayed = ClusterFold.ApplyAll(ClusterState.Empty, b.Log);

        var first = allocator.Allocate(b.State, b.Now, 42);
        var second = allocator.Allocate(b.State, b.Now, 42);
        var fromReplay = new RoundRobinAllocator().Allocate(replayed, b.Now, 42);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.Equal(first, fromReplay);
    }
}
