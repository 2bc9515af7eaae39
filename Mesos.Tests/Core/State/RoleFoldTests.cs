using Mesos.Core.Events;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class RoleFoldTests
{
    [Fact]
    [FoldsEvent(typeof(RoleWeightsUpdated))]
    public void Apply_RoleWeightsUpdated_SetsTheWeights_AndWeightOneForgetsTheRole()
    {
        var before = ClusterBuilder.WithMaster().State;

        var weighted = ClusterFold.Apply(before, new RoleWeightsUpdated([new RoleWeight("eng", 2.0), new RoleWeight("ops", 0.5)]) { At = TestCluster.T0, Principal = "operator" });
        Assert.Equal(2.0, weighted.RoleOf("eng").Weight);
        Assert.Equal(0.5, weighted.RoleOf("ops").Weight);
        Assert.Equal(1.0, weighted.RoleOf("web").Weight);

        var reset = ClusterFold.Apply(weighted, new RoleWeightsUpdated([new RoleWeight("eng", 1.0)]) { At = TestCluster.T0, Principal = "operator" });
        Assert.False(reset.Roles.ContainsKey("eng"));
        Assert.Equal(0.5, reset.RoleOf("ops").Weight);
    }

    [Fact]
    [FoldsEvent(typeof(QuotaUpdated))]
    public void Apply_QuotaUpdated_SetsGuaranteesAndLimits_AndEmptyQuotaForgetsTheRole()
    {
        var before = ClusterBuilder.WithMaster().State;
        var guarantees = ResourceSet.Parse("cpus:2;mem:1024");
        var limits = ResourceSet.Parse("cpus:4;mem:4096");

        var quota = ClusterFold.Apply(before, new QuotaUpdated([new RoleQuota("eng", guarantees, limits)]) { At = TestCluster.T0, Principal = "operator" });
        Assert.Equal(guarantees, quota.RoleOf("eng").Guarantees);
        Assert.Equal(limits, quota.RoleOf("eng").Limits);
        Assert.Equal(1.0, quota.RoleOf("eng").Weight);

        var removed = ClusterFold.Apply(quota, new QuotaUpdated([new RoleQuota("eng", ResourceSet.Empty, ResourceSet.Empty)]) { At = TestCluster.T0, Principal = "operator" });
        Assert.False(removed.Roles.ContainsKey("eng"));
    }
}
