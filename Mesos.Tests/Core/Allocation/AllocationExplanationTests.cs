using Mesos.Core.Allocation.Explain;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Allocation;

/// <summary>Why a framework did or did not get an agent's resources, one documented cause per case.</summary>
public sealed class AllocationExplanationTests
{
    private static AllocationReason Only(IReadOnlyList<AllocationReason> reasons, AllocationReasonKind kind) =>
        Assert.Single(reasons, r => r.Kind == kind);

    [Fact]
    public void Explain_OfferedResources_AreTheCyclesGrants()
    {
        var world = new AllocatorWorld();
        var agent = world.AddAgent("cpus:4;mem:1024");
        var f = world.Subscribe("F", "eng");

        var reason = Assert.Single(world.Explain(f));

        Assert.Equal(AllocationReasonKind.Offered, reason.Kind);
        Assert.Equal(agent, reason.AgentId);
        Assert.Equal(ResourceSet.Parse("cpus:4;mem:1024"), reason.Resources);
        Assert.Equal("offered cpus:4;mem:1024", AllocationReasonText.Describe(reason));
    }

    [Fact]
    public void Explain_RoleAtItsLimit_SaysQuotaLimitReached()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:8;mem:4096");
        world.Quota("eng", string.Empty, "cpus:1;mem:256");
        var f = world.Subscribe("F", "eng");
        world.Launch(Assert.Single(world.Allocate()), "cpus:1;mem:256");

        Assert.Empty(world.Allocate(2));
        var reason = Assert.Single(world.Explain(f, seed: 2));

        Assert.Equal(AllocationReasonKind.QuotaLimitReached, reason.Kind);
        Assert.Equal("eng", reason.Rival);
        Assert.Equal("role eng: quota limit cpus:1;mem:256 reached (allocated cpus:1;mem:256)", AllocationReasonText.Line(reason, withFramework: false, withAgent: false));
    }

    [Fact]
    public void Explain_AncestorAtItsLimit_NamesTheAncestor()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:8;mem:4096");
        world.Quota("eng", string.Empty, "cpus:2;mem:512");
        var web = world.Subscribe("A", "eng/web");
        world.Launch(Assert.Single(world.Allocate()), "cpus:2;mem:512");
        var db = world.Subscribe("B", "eng/db");

        var reason = Assert.Single(world.Explain(db, seed: 2));

        Assert.Equal(AllocationReasonKind.QuotaLimitReached, reason.Kind);
        Assert.Equal("role eng/db: quota limit cpus:2;mem:512 of ancestor role eng reached (allocated cpus:2;mem:512)", AllocationReasonText.Line(reason, false, false));
        Assert.Equal(AllocationReasonKind.QuotaLimitReached, Assert.Single(world.Explain(web, seed: 2)).Kind);
    }

    [Fact]
    public void Explain_DeclinedAgent_SaysFilteredUntil()
    {
        var world = new AllocatorWorld();
        var agent = world.AddAgent("cpus:4;mem:1024");
        var f = world.Subscribe("F", "eng");
        world.Decline(Assert.Single(world.Allocate()), refuseSeconds: 60);

        var reason = Assert.Single(world.Explain(f));

        Assert.Equal(AllocationReasonKind.Filtered, reason.Kind);
        Assert.Equal(agent, reason.AgentId);
        Assert.Equal(world.Now.AddSeconds(60), reason.Until);
        Assert.StartsWith("filtered until ", AllocationReasonText.Describe(reason), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_SuppressedRole_HoldsOnEveryAgent()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:4;mem:1024");
        var f = world.Subscribe("F", "eng");
        world.Execute(new SuppressOffers(f, ["eng"]) { Principal = "F" });

        var reason = Assert.Single(world.Explain(f));

        Assert.Equal(AllocationReasonKind.Suppressed, reason.Kind);
        Assert.Null(reason.AgentId);
        Assert.Equal("role eng on every agent: offers suppressed by the framework (SUPPRESS) until it revives", AllocationReasonText.Line(reason, false, true));
    }

    [Fact]
    public void Explain_DisconnectedFramework_SaysSo()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:4;mem:1024");
        var info = new FrameworkInfo("F", "user", ["eng"], 3600, false, "F", "host", string.Empty, []);
        var f = world.Execute(new SubscribeFramework(info, null) { Principal = "F" }).OfType<FrameworkSubscribed>().Single().FrameworkId;
        world.Execute(new DisconnectFramework(f) { Principal = "F" });

        var reason = Assert.Single(world.Explain(f));

        Assert.Equal(AllocationReasonKind.FrameworkInactive, reason.Kind);
        Assert.Equal("DISCONNECTED", reason.Detail);
    }

    [Fact]
    public void Explain_DisconnectedAgent_SaysSo()
    {
        var world = new AllocatorWorld();
        var agent = world.AddAgent("cpus:4;mem:1024");
        world.Subscribe("F", "eng");
        world.Execute(new DisconnectAgent(agent) { Principal = "agent" });

        var reason = Assert.Single(world.Explain(agent: agent));

        Assert.Equal(AllocationReasonKind.AgentInactive, reason.Kind);
        Assert.Equal("agent is DISCONNECTED: nothing on it is offered", AllocationReasonText.Describe(reason));
    }

    [Fact]
    public void Explain_LowerShareFirst_TheOtherIsToldWhoTookTheAgent()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:4;mem:1024");
        world.AddAgent("cpus:4;mem:1024");
        var a = world.Subscribe("A", "web");
        var b = world.Subscribe("B", "web");
        var offers = world.Allocate();
        var toA = offers.Single(o => o.FrameworkId == a);
        world.Launch(toA, "cpus:4;mem:1024");
        world.Decline(offers.Single(o => o.FrameworkId == b), refuseSeconds: 0);

        var reasons = world.Explain(a, seed: 3);

        Assert.Equal(AllocationReasonKind.NothingFree, Assert.Single(reasons, r => r.AgentId == toA.AgentId).Kind);
        var taken = Assert.Single(reasons, r => r.AgentId != toA.AgentId);
        Assert.Equal(AllocationReasonKind.TakenEarlier, taken.Kind);
        Assert.Equal($"framework {b}", taken.Rival);
        Assert.Equal($"no resources left: went first to framework {b}, lower dominant share 0 than this one's 0.5", AllocationReasonText.Describe(taken));
    }

    [Fact]
    public void Explain_AgentReservedForAnotherRole_SaysReserved()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus(ops):4;mem(ops):1024");
        var f = world.Subscribe("F", "eng");

        var reason = Assert.Single(world.Explain(f));

        Assert.Equal(AllocationReasonKind.ReservedForOtherRoles, reason.Kind);
        Assert.Equal(ResourceSet.Parse("cpus(ops):4;mem(ops):1024"), reason.Resources);
    }

    [Fact]
    public void Explain_FullyUsedAgent_SaysNothingFree()
    {
        var world = new AllocatorWorld();
        var agent = world.AddAgent("cpus:4;mem:1024");
        var f = world.Subscribe("F", "eng");
        world.Launch(Assert.Single(world.Allocate()), "cpus:4;mem:1024");

        var reason = Assert.Single(world.Explain(agent: agent));

        Assert.Equal(AllocationReasonKind.NothingFree, reason.Kind);
        Assert.Equal(f, reason.FrameworkId);
        Assert.Equal(ResourceSet.Parse("cpus:4;mem:1024"), reason.Resources);
    }

    [Fact]
    public void Explain_SmallRemainder_SaysBelowMinimum()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:1;mem:40");
        var f = world.Subscribe("F", "eng");
        world.Launch(Assert.Single(world.Allocate()), "cpus:0.995;mem:20");

        var reason = Assert.Single(world.Explain(f));

        Assert.Equal(AllocationReasonKind.BelowMinimum, reason.Kind);
        Assert.Equal("what is left (cpus:0.005;mem:20) is below --min_allocatable_resources (cpus:0.01|mem:32)", AllocationReasonText.Describe(reason));
    }

    [Fact]
    public void Explain_OtherRolesUnmetGuarantee_IsServedFirst()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:4;mem:1024");
        world.Quota("ops", "cpus:4;mem:1024", "cpus:4;mem:1024");
        var ops = world.Subscribe("O", "ops");
        var eng = world.Subscribe("E", "eng");
        world.Execute(new SuppressOffers(ops, []) { Principal = "O" });

        // A suppressed role still has its guarantee held back, as Mesos holds quota headroom for it.
        var reason = Assert.Single(world.Explain(eng));

        Assert.Equal(AllocationReasonKind.HeldForGuarantees, reason.Kind);
        Assert.Equal("ops", reason.Rival);
    }

    [Fact]
    public void Explain_GivesTheSameGrantsAsTheCycle()
    {
        var world = new AllocatorWorld();
        for (var i = 0; i < 5; i++)
        {
            world.AddAgent($"cpus:{i + 1};mem:{512 * (i + 1)};cpus(ops):1");
        }

        world.Quota("ops", "cpus:3", "cpus:6");
        world.Subscribe("A", "ops");
        world.Subscribe("B", "eng", "ops");
        world.Subscribe("C", "eng");

        var allocator = new Mesos.Core.Allocation.HierarchicalDrfAllocator();
        Assert.Equal(allocator.Allocate(world.State, world.Now, 9), allocator.Explain(world.State, world.Now, 9, ExplainScope.All).Grants);
    }
}
