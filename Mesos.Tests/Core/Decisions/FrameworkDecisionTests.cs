using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

public sealed class FrameworkDecisionTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Subscribe_WithoutName_IsRefused(string name)
    {
        DecideSpec.When(ClusterBuilder.WithMaster(), new SubscribeFramework(TestCluster.Framework(name), null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "name");
    }

    [Fact]
    public void Subscribe_New_MintsTheIdFromTheMasterIdAndTheFrameworkNumber()
    {
        var b = ClusterBuilder.WithMaster();
        b.Subscribe(TestCluster.Framework("first"));
        var info = TestCluster.Framework("second");

        DecideSpec.When(b, new SubscribeFramework(info, null) { Principal = "second" })
            .ThenEvents(new FrameworkSubscribed(new FrameworkId("m1-0001"), info, Resubscribed: false) { At = b.Now, Principal = "second" });
    }

    [Fact]
    public void Subscribe_WithoutRoles_IsInTheDefaultRole()
    {
        var b = ClusterBuilder.WithMaster();
        var info = TestCluster.Framework(roles: []);

        DecideSpec.When(b, new SubscribeFramework(info, null) { Principal = "f" })
            .ThenEvents(new FrameworkSubscribed(new FrameworkId("m1-0000"), info with { Roles = ["*"] }, false) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Subscribe_SeveralRolesWithoutMultiRole_IsRefused()
    {
        DecideSpec.When(ClusterBuilder.WithMaster(), new SubscribeFramework(TestCluster.Framework(roles: ["eng", "ops"]), null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "MULTI_ROLE");
    }

    [Fact]
    public void Subscribe_SeveralRolesWithMultiRole_IsAccepted()
    {
        var b = ClusterBuilder.WithMaster();
        var info = TestCluster.Framework(roles: ["eng", "ops"], capabilities: FrameworkCapability.MultiRole);

        DecideSpec.When(b, new SubscribeFramework(info, null) { Principal = "f" })
            .ThenEvents(new FrameworkSubscribed(new FrameworkId("m1-0000"), info, false) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Subscribe_SameRoleTwice_IsRefused()
    {
        DecideSpec.When(ClusterBuilder.WithMaster(), new SubscribeFramework(TestCluster.Framework(roles: ["eng", "eng"], capabilities: FrameworkCapability.MultiRole), null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "duplicate");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/eng")]
    [InlineData("eng/")]
    [InlineData("eng//web")]
    [InlineData("eng web")]
    [InlineData("eng/./web")]
    [InlineData("..")]
    [InlineData("-eng")]
    [InlineData("eng/*")]
    public void Subscribe_InvalidRole_IsRefused(string role)
    {
        DecideSpec.When(ClusterBuilder.WithMaster(), new SubscribeFramework(TestCluster.Framework(roles: [role]), null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Subscribe_NegativeFailoverTimeout_IsRefused(double timeout)
    {
        DecideSpec.When(ClusterBuilder.WithMaster(), new SubscribeFramework(TestCluster.Framework(failoverTimeoutSeconds: timeout), null) { Principal = "f" })
            .ThenError(DecideErrorKind.InvalidArgument, "failover_timeout");
    }

    [Fact]
    public void Resubscribe_KeepsItsIdAndWhoItRunsAsButTakesTheOtherFields()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe();
        b.Execute(new DisconnectFramework(id) { Principal = "m1" });
        b.AdvanceSeconds(30);
        var changed = TestCluster.Framework("renamed", failoverTimeoutSeconds: 60) with { User = "mallory", Checkpoint = false };

        DecideSpec.When(b, new SubscribeFramework(changed, id) { Principal = "f" })
            .ThenEvents(new FrameworkSubscribed(id, changed with { User = "root", Checkpoint = true }, Resubscribed: true) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void Resubscribe_WhileConnected_RescindsTheOffersTheOldConnectionHeld()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var info = TestCluster.Framework(roles: ["eng", "*"], capabilities: FrameworkCapability.MultiRole);
        var id = b.Subscribe(info);
        var offer = b.Allocate().Single();
        var moved = info with { Roles = ["*"] };

        DecideSpec.When(b, new SubscribeFramework(moved, id) { Principal = "f" })
            .ThenEvents(
                new OfferRescinded(offer.Id, "framework re-subscribed") { At = b.Now, Principal = "f" },
                new FrameworkSubscribed(id, moved, Resubscribed: true) { At = b.Now, Principal = "f" });
        b.Execute(new SubscribeFramework(moved, id) { Principal = "f" });
        Assert.True(b.State.Agents[agent].Offered.IsEmpty);
        Assert.Equal("*", b.Allocate().Single().Role);
    }

    [Fact]
    public void Resubscribe_OfARemovedFramework_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe();
        b.Execute(new TeardownFramework(id) { Principal = TestCluster.Operator });

        DecideSpec.When(b, new SubscribeFramework(TestCluster.Framework(), id) { Principal = "f" })
            .ThenError(DecideErrorKind.FailedPrecondition, id.Value);
    }

    [Fact]
    public void Disconnect_WithFailoverTimeoutZero_RemovesTheFramework()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe(TestCluster.Framework(failoverTimeoutSeconds: 0));

        DecideSpec.When(b, new DisconnectFramework(id) { Principal = "m1" })
            .ThenEvents(
                new FrameworkDisconnected(id) { At = b.Now, Principal = "m1" },
                new FrameworkRemoved(id, "disconnected with a failover timeout of 0") { At = b.Now, Principal = "m1" });
    }

    [Fact]
    public void Disconnect_WithAFailoverTimeout_OnlyDisconnects()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe(TestCluster.Framework(failoverTimeoutSeconds: 60));

        DecideSpec.When(b, new DisconnectFramework(id) { Principal = "m1" })
            .ThenEvents(new FrameworkDisconnected(id) { At = b.Now, Principal = "m1" });
    }

    [Fact]
    public void Disconnect_FrameworkNotActive_DoesNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe();
        b.Execute(new DisconnectFramework(id) { Principal = "m1" });

        DecideSpec.When(b, new DisconnectFramework(id) { Principal = "m1" }).ThenNothing();
        DecideSpec.When(b, new DisconnectFramework(new FrameworkId("nobody")) { Principal = "m1" }).ThenNothing();
    }

    [Fact]
    public void ExpireFrameworks_RemovesOnlyDisconnectedFrameworksWhoseFailoverTimeoutRanOut()
    {
        var b = ClusterBuilder.WithMaster();
        var shortLived = b.Subscribe(TestCluster.Framework("short", failoverTimeoutSeconds: 60));
        var longLived = b.Subscribe(TestCluster.Framework("long", failoverTimeoutSeconds: 3600));
        b.Subscribe(TestCluster.Framework("connected", failoverTimeoutSeconds: 1));
        b.Execute(new DisconnectFramework(shortLived) { Principal = "m1" });
        b.Execute(new DisconnectFramework(longLived) { Principal = "m1" });
        b.AdvanceSeconds(59.999);
        DecideSpec.When(b, new ExpireFrameworks() { Principal = "m1" }).ThenNothing();
        b.AdvanceSeconds(0.001);

        DecideSpec.When(b, new ExpireFrameworks() { Principal = "m1" })
            .ThenEvents(new FrameworkRemoved(shortLived, "failover timeout expired") { At = b.Now, Principal = "m1" });
    }

    [Fact]
    public void ExpireFrameworks_ResubscribedInTime_IsKept()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe(TestCluster.Framework(failoverTimeoutSeconds: 60));
        b.Execute(new DisconnectFramework(id) { Principal = "m1" });
        b.AdvanceSeconds(30);
        b.Execute(new SubscribeFramework(TestCluster.Framework(failoverTimeoutSeconds: 60), id) { Principal = "f" });
        b.AdvanceSeconds(3000);

        DecideSpec.When(b, new ExpireFrameworks() { Principal = "m1" }).ThenNothing();
    }

    [Fact]
    public void Teardown_KnownFramework_RemovesIt()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe();

        DecideSpec.When(b, new TeardownFramework(id) { Principal = TestCluster.Operator })
            .ThenEvents(new FrameworkRemoved(id, "torn down") { At = b.Now, Principal = TestCluster.Operator });
    }

    [Fact]
    public void Teardown_UnknownFramework_IsNotFound()
    {
        DecideSpec.When(ClusterBuilder.WithMaster(), new TeardownFramework(new FrameworkId("nobody")) { Principal = TestCluster.Operator })
            .ThenError(DecideErrorKind.NotFound, "nobody");
    }

    [Fact]
    public void SuppressAndRevive_ActiveFramework_AreRecorded()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe();

        DecideSpec.When(b, new SuppressOffers(id, ["*"]) { Principal = "f" })
            .ThenEvents(new FrameworkSuppressed(id, ["*"]) { At = b.Now, Principal = "f" });
        DecideSpec.When(b, new ReviveOffers(id, []) { Principal = "f" })
            .ThenEvents(new FrameworkRevived(id, []) { At = b.Now, Principal = "f" });
    }

    [Fact]
    public void SuppressAndRevive_UnknownFramework_AreNotFound()
    {
        var b = ClusterBuilder.WithMaster();

        DecideSpec.When(b, new SuppressOffers(new FrameworkId("nobody"), []) { Principal = "f" }).ThenError(DecideErrorKind.NotFound);
        DecideSpec.When(b, new ReviveOffers(new FrameworkId("nobody"), []) { Principal = "f" }).ThenError(DecideErrorKind.NotFound);
    }

    [Fact]
    public void SuppressAndRevive_DisconnectedFramework_AreRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var id = b.Subscribe();
        b.Execute(new DisconnectFramework(id) { Principal = "m1" });

        DecideSpec.When(b, new SuppressOffers(id, []) { Principal = "f" }).ThenError(DecideErrorKind.PermissionDenied);
        DecideSpec.When(b, new ReviveOffers(id, []) { Principal = "f" }).ThenError(DecideErrorKind.PermissionDenied);
    }
}
