using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Allocation;

/// <summary>Mesos' documented allocator behaviour, one story per case, through decide and the fold.</summary>
public sealed class HierarchicalDrfAllocatorTests
{
    /// <summary>
    /// Each cycle, whoever gets the free resources launches one task if it fits and declines the rest without a
    /// filter; stops when a few cycles in a row launch nothing.
    /// </summary>
    private static void RunToFixpoint(AllocatorWorld world, IReadOnlyDictionary<FrameworkId, string> demands, long seed)
    {
        var idle = 0;
        for (var cycle = 0; cycle < 200 && idle < 4; cycle++)
        {
            var launched = false;
            foreach (var offer in world.Allocate(seed + cycle))
            {
                var demand = ResourceSet.Parse(demands[offer.FrameworkId]);
                if (offer.Resources.Contains(demand))
                {
                    world.Launch(offer, demand);
                    launched = true;
                }
                else
                {
                    world.Decline(offer);
                }
            }

            idle = launched ? 0 : idle + 1;
            world.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(77)]
    public void Drf_TwoFrameworksWithDifferentDemands_ConvergeToTheDrfPaperShares(long seed)
    {
        // The DRF paper's example: 9 CPUs, 18 GB; A runs <1 CPU, 4 GB> tasks, B runs <3 CPUs, 1 GB> tasks.
        var world = new AllocatorWorld();
        world.AddAgent("cpus:9;mem:18432");
        var a = world.Subscribe("A", "a");
        var b = world.Subscribe("B", "b");

        RunToFixpoint(world, new Dictionary<FrameworkId, string> { [a] = "cpus:1;mem:4096", [b] = "cpus:3;mem:1024" }, seed);

        Assert.Equal(3, world.TasksOf(a));
        Assert.Equal(2, world.TasksOf(b));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Drf_FrameworksInOneRole_ShareItEqually(long seed)
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:8;mem:8192");
        var a = world.Subscribe("A", "web");
        var b = world.Subscribe("B", "web");

        RunToFixpoint(world, new Dictionary<FrameworkId, string> { [a] = "cpus:1;mem:1024", [b] = "cpus:1;mem:1024" }, seed);

        Assert.Equal(4, world.TasksOf(a));
        Assert.Equal(4, world.TasksOf(b));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Weights_RoleOfWeightTwo_GetsTwiceTheShare(long seed)
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:12;mem:12288");
        world.Weights(("heavy", 2));
        var heavy = world.Subscribe("H", "heavy");
        var light = world.Subscribe("L", "light");

        RunToFixpoint(world, new Dictionary<FrameworkId, string> { [heavy] = "cpus:1;mem:1024", [light] = "cpus:1;mem:1024" }, seed);

        Assert.Equal(8, world.TasksOf(heavy));
        Assert.Equal(4, world.TasksOf(light));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void Hierarchy_ParentShareIncludesItsChildren(long seed)
    {
        // eng/a and eng/b together share with ops: eng gets half, split between its children.
        var world = new AllocatorWorld();
        world.AddAgent("cpus:8;mem:8192");
        var engA = world.Subscribe("EA", "eng/a");
        var engB = world.Subscribe("EB", "eng/b");
        var ops = world.Subscribe("O", "ops");
        var demand = "cpus:1;mem:1024";

        RunToFixpoint(world, new Dictionary<FrameworkId, string> { [engA] = demand, [engB] = demand, [ops] = demand }, seed);

        Assert.Equal(4, world.TasksOf(ops));
        Assert.Equal(2, world.TasksOf(engA));
        Assert.Equal(2, world.TasksOf(engB));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Quota_GuaranteeIsMetBeforeFairSharing(long seed)
    {
        var world = new AllocatorWorld();
        for (var i = 0; i < 3; i++)
        {
            world.AddAgent("cpus:2;mem:2048");
        }

        var quota = world.Subscribe("Q", "q");
        var other = world.Subscribe("O", "other");

        // q already holds 2 CPUs, so plain DRF would serve 'other' first.
        var first = world.Allocate(seed).ToList();
        foreach (var offer in first)
        {
            if (offer.FrameworkId == quota)
            {
                world.Launch(offer, offer.Resources);
            }
            else
            {
                world.Decline(offer);
            }
        }

        Assert.True(world.TasksOf(quota) > 0 || first.All(o => o.FrameworkId == other));
        world.Quota("q", "cpus:6", string.Empty);

        var offers = world.Allocate(seed + 100);

        var heldByQuota = world.State.TasksOf(quota).Aggregate(ResourceSet.Empty, (s, t) => s + t.Info.Resources).Scalar("cpus");
        var offeredToQuota = offers.Where(o => o.FrameworkId == quota).Aggregate(ScalarValue.Zero, (s, o) => s + o.Resources.Scalar("cpus"));
        Assert.Equal(ScalarValue.FromDouble(6), heldByQuota + offeredToQuota);
        Assert.DoesNotContain(offers, o => o.FrameworkId == other);
    }

    [Fact]
    public void Quota_UnmetGuaranteeIsHeldBackFromOtherRoles()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:4;mem:4096");
        world.AddAgent("cpus:4;mem:4096");
        world.Quota("q", "cpus:4;mem:4096", string.Empty);
        var other = world.Subscribe("O", "other");

        // q has no framework yet: its guarantee is still kept free.
        var offers = world.Allocate();

        var offered = offers.Aggregate(ResourceSet.Empty, (s, o) => s + o.Resources);
        Assert.All(offers, o => Assert.Equal(other, o.FrameworkId));
        Assert.Equal(ScalarValue.FromDouble(4), offered.Scalar("cpus"));
        Assert.Equal(ScalarValue.FromDouble(4096), offered.Scalar("mem"));
    }

    [Theory]
    [InlineData("l", "l", 1)]
    [InlineData("eng", "eng/web", 1)]
    [InlineData("eng", "eng/web", 2)]
    public void Quota_LimitIsNeverExceeded(string limitedRole, string frameworkRole, long seed)
    {
        var world = new AllocatorWorld();
        for (var i = 0; i < 4; i++)
        {
            world.AddAgent("cpus:2;mem:2048");
        }

        world.Quota(limitedRole, string.Empty, "cpus:3");
        var first = world.Subscribe("F1", frameworkRole);
        world.Subscribe("F2", frameworkRole + "/x");

        for (var cycle = 0; cycle < 5; cycle++)
        {
            foreach (var offer in world.Allocate(seed + cycle))
            {
                if (offer.FrameworkId == first)
                {
                    world.Launch(offer, offer.Resources);
                }
            }

            var consumed = Mesos.Core.Decisions.RoleDecisions.Consumed(world.State, limitedRole);
            Assert.True(consumed.Scalar("cpus") <= ScalarValue.FromDouble(3), $"cycle {cycle}: {consumed}");
            world.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Theory]
    [InlineData("eng", true)]
    [InlineData("eng/web", true)]
    [InlineData("ops", false)]
    [InlineData("*", false)]
    [InlineData("engineering", false)]
    public void Reservations_GoOnlyToTheirRoleAndItsSubroles(string role, bool getsReserved)
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus(eng):2;cpus:1;mem:1024");
        var framework = world.Subscribe("F", role);

        var offer = Assert.Single(world.Allocate());

        Assert.Equal(framework, offer.FrameworkId);
        Assert.Equal(getsReserved, offer.Resources.Entries.Any(r => r.Role == "eng"));
        Assert.DoesNotContain(offer.Resources.Entries, r => r.IsReserved && r.Role != "eng");
    }

    [Fact]
    public void Reservations_UnusedByTheirRoleAreNotGivenToAnother()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus(eng):2;mem(eng):512;cpus:1;mem:1024");
        var ops = world.Subscribe("O", "ops");

        var offer = Assert.Single(world.Allocate());

        Assert.Equal(ops, offer.FrameworkId);
        Assert.Equal(ResourceSet.Parse("cpus:1;mem:1024"), offer.Resources);
    }

    [Fact]
    public void DeclineFilter_HoldsForRefuseSecondsThenExpires()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:2;mem:2048");
        var framework = world.Subscribe("F", "web");

        world.Decline(Assert.Single(world.Allocate()), refuseSeconds: 10);
        world.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Empty(world.Allocate(2));

        world.Advance(TimeSpan.FromSeconds(0.001));
        Assert.Equal(framework, Assert.Single(world.Allocate(3)).FrameworkId);
    }

    [Fact]
    public void DeclineFilter_OfOneFrameworkLetsAnotherHaveTheAgent()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:2;mem:2048");
        world.Subscribe("F1", "web");
        world.Subscribe("F2", "web");

        var first = Assert.Single(world.Allocate());
        world.Decline(first, refuseSeconds: 60);

        var second = Assert.Single(world.Allocate(2));
        Assert.NotEqual(first.FrameworkId, second.FrameworkId);
    }

    [Fact]
    public void Suppress_StopsOffersAndRevive_RestartsThem()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:2;mem:2048");
        var framework = world.Subscribe("F", "web");

        world.Execute(new Mesos.Core.Commands.SuppressOffers(framework, []) { Principal = "F" });
        Assert.Empty(world.Allocate());

        world.Execute(new Mesos.Core.Commands.ReviveOffers(framework, []) { Principal = "F" });
        Assert.Equal(framework, Assert.Single(world.Allocate(2)).FrameworkId);
    }

    [Fact]
    public void Suppress_OfOneRole_KeepsOffersForTheOther()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:2;mem:2048");
        world.AddAgent("cpus:2;mem:2048");
        var framework = world.Subscribe("F", "a", "b");

        world.Execute(new Mesos.Core.Commands.SuppressOffers(framework, ["a"]) { Principal = "F" });

        var offers = world.Allocate();
        Assert.Equal(2, offers.Count);
        Assert.All(offers, o => Assert.Equal("b", o.Role));
    }

    [Fact]
    public void MultiRole_OneOfferPerRole()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus(a):1;cpus(b):1;cpus:2;mem:2048");
        world.Subscribe("F", "a", "b");

        var offers = world.Allocate();

        Assert.Equal(2, offers.Count);
        Assert.Equal(["a", "b"], offers.Select(o => o.Role).Order(StringComparer.Ordinal));
        Assert.All(offers, o => Assert.DoesNotContain(o.Resources.Entries, r => r.IsReserved && r.Role != o.Role));
    }

    [Fact]
    public void OfferTimeout_RescindsAndTheResourcesAreOfferedAgain()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:2;mem:2048");
        world.Subscribe("F", "web");
        var offer = Assert.Single(world.Allocate());
        Assert.Empty(world.Allocate(2));

        world.Advance(TimeSpan.FromSeconds(30));
        var rescinded = world.Execute(new Mesos.Core.Commands.ExpireOffers(TimeSpan.FromSeconds(30)) { Principal = "master" });

        Assert.Equal(offer.OfferId, Assert.IsType<OfferRescinded>(Assert.Single(rescinded)).OfferId);
        Assert.Equal(offer.Resources, Assert.Single(world.Allocate(3)).Resources);
    }

    [Theory]
    [InlineData("cpus:0.005;mem:16", false)]
    [InlineData("cpus:0.01;mem:16", true)]
    [InlineData("cpus:0.001;mem:32", true)]
    public void MinimumAllocatable_SmallerRemaindersAreNotOffered(string free, bool offered)
    {
        var world = new AllocatorWorld();
        world.AddAgent(free);
        world.Subscribe("F", "web");

        Assert.Equal(offered, world.Allocate().Count == 1);
    }

    [Fact]
    public void SameStateAndSeed_GiveTheSameGrants()
    {
        var world = new AllocatorWorld();
        for (var i = 0; i < 10; i++)
        {
            world.AddAgent("cpus:4;mem:4096");
        }

        for (var i = 0; i < 6; i++)
        {
            world.Subscribe("F" + i, i % 2 == 0 ? "a" : "b/c");
        }

        var once = world.Allocator.Allocate(world.State, world.Now, 42);
        var again = world.Allocator.Allocate(world.State, world.Now, 42);

        Assert.Equal(once, again);
        Assert.Equal(10, once.Count);
    }
}
