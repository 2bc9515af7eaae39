using Mesos.Core.Allocation;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Allocation;

public sealed class MinimumAllocatableTests
{
    [Theory]
    [InlineData("cpus:0.01", true)]
    [InlineData("mem:32", true)]
    [InlineData("cpus:0.01;mem:1", true)]
    [InlineData("cpus(eng):0.01", true)]
    [InlineData("cpus:0.009;mem:31.999", false)]
    [InlineData("disk:10000;ports:[31000-32000]", false)]
    [InlineData("", false)]
    public void IsMet_NeedsAtLeastOneHundredthOfACpuOr32MegabytesOfMemory(string resources, bool met)
    {
        Assert.Equal(met, MinimumAllocatable.Default.IsMet(TestCluster.Res(resources)));
    }
}
