using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Allocation;

public sealed class RoleDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("eng", 2.0, null)]
    [InlineData("eng/web", 0.5, null)]
    [InlineData("eng", 0.0, DecideErrorKind.InvalidArgument)]
    [InlineData("eng", -1.0, DecideErrorKind.InvalidArgument)]
    [InlineData("eng", double.NaN, DecideErrorKind.InvalidArgument)]
    [InlineData("eng/", 1.0, DecideErrorKind.InvalidArgument)]
    [InlineData("*", 1.0, DecideErrorKind.InvalidArgument)]
    public void UpdateWeights_ValidatesRolesAndValues(string role, double weight, DecideErrorKind? error)
    {
        var decision = RoleDecisions.UpdateWeights(new UpdateWeights([new RoleWeight(role, weight)]) { Principal = "op" }, Now);

        Assert.Equal(error, decision.Error?.Kind);
        if (error is null)
        {
            Assert.IsType<RoleWeightsUpdated>(Assert.Single(decision.Events));
        }
    }

    [Theory]
    [InlineData("eng", "cpus:2", "cpus:4", null)]
    [InlineData("eng", "", "", null)]
    [InlineData("eng", "cpus:5", "cpus:4", DecideErrorKind.InvalidArgument)]
    [InlineData("eng", "ports:[1-2]", "", DecideErrorKind.InvalidArgument)]
    [InlineData("eng", "cpus(eng):1", "", DecideErrorKind.InvalidArgument)]
    [InlineData("*", "cpus:1", "", DecideErrorKind.InvalidArgument)]
    [InlineData("a//b", "cpus:1", "", DecideErrorKind.InvalidArgument)]
    public void UpdateQuota_ValidatesEachConfig(string role, string guarantees, string limits, DecideErrorKind? error)
    {
        var command = new UpdateQuota([new RoleQuota(role, ResourceSet.Parse(guarantees), ResourceSet.Parse(limits))], false) { Principal = "op" };

        Assert.Equal(error, RoleDecisions.UpdateQuota(new AllocatorWorld().State, command, Now).Error?.Kind);
    }

    [Theory]
    [InlineData("cpus:4", "cpus:8", "cpus:2", "cpus:8", null)]
    [InlineData("cpus:4", "cpus:8", "cpus:5", "", DecideErrorKind.InvalidArgument)]
    [InlineData("", "cpus:8", "", "cpus:9", DecideErrorKind.InvalidArgument)]
    [InlineData("", "cpus:8", "", "", null)]
    public void UpdateQuota_ChecksTheRoleTree(string parentGuarantee, string parentLimit, string childGuarantee, string childLimit, DecideErrorKind? error)
    {
        var command = new UpdateQuota(
            [
                new RoleQuota("eng", ResourceSet.Parse(parentGuarantee), ResourceSet.Parse(parentLimit)),
                new RoleQuota("eng/web", ResourceSet.Parse(childGuarantee), ResourceSet.Parse(childLimit)),
            ],
            false) { Principal = "op" };

        Assert.Equal(error, RoleDecisions.UpdateQuota(new AllocatorWorld().State, command, Now).Error?.Kind);
    }

    [Fact]
    public void UpdateQuota_BelowWhatTheRoleConsumes_IsRefusedUnlessForced()
    {
        var world = new AllocatorWorld();
        world.AddAgent("cpus:4;mem:4096");
        world.Subscribe("F", "eng/web");
        world.Launch(Assert.Single(world.Allocate()), "cpus:3;mem:1024");

        var refused = world.TryExecute(new UpdateQuota([new RoleQuota("eng", ResourceSet.Empty, ResourceSet.Parse("cpus:2"))], false) { Principal = "op" });
        var forced = world.TryExecute(new UpdateQuota([new RoleQuota("eng", ResourceSet.Empty, ResourceSet.Parse("cpus:2"))], true) { Principal = "op" });

        Assert.Equal(DecideErrorKind.FailedPrecondition, refused?.Kind);
        Assert.Null(forced);
        Assert.Equal(ResourceSet.Parse("cpus:2"), world.State.RoleOf("eng").Limits);
    }

    [Fact]
    public void UpdateQuota_IsAllOrNothing()
    {
        var world = new AllocatorWorld();

        var error = world.TryExecute(new UpdateQuota(
            [new RoleQuota("good", ResourceSet.Parse("cpus:1"), ResourceSet.Empty), new RoleQuota("bad", ResourceSet.Parse("cpus:2"), ResourceSet.Parse("cpus:1"))],
            false) { Principal = "op" });

        Assert.NotNull(error);
        Assert.Empty(world.State.Roles);
    }

    [Fact]
    public void Fold_RoleBackAtDefaults_LeavesNoEntry()
    {
        var world = new AllocatorWorld();
        world.Weights(("eng", 2));
        world.Quota("eng", "cpus:1", "");
        world.Weights(("eng", 1));
        Assert.Single(world.State.Roles);

        world.Quota("eng", "", "");

        Assert.Empty(world.State.Roles);
    }
}
