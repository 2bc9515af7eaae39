using Mesos.Core.Quotas;
using Mesos.Hosting.Flags;
using Mesos.Master.Configuration;

namespace Mesos.Tests.Master;

public sealed class WeightsFlagTests
{
    [Fact]
    public void Parse_RoleEqualsWeightList()
    {
        Assert.Equal([new RoleWeight("eng/web", 2), new RoleWeight("ops", 0.5)], WeightsFlag.Parse("eng/web=2, ops=0.5"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_Unset_IsEmpty(string? text) => Assert.Empty(WeightsFlag.Parse(text));

    [Theory]
    [InlineData("eng", "not role=weight")]
    [InlineData("eng=0", "positive")]
    [InlineData("eng=-1", "positive")]
    [InlineData("eng=x", "positive")]
    [InlineData("eng=1,eng=2", "more than once")]
    [InlineData("/eng=1", "'/'")]
    public void Parse_Invalid_SaysWhy(string text, string reason) =>
        Assert.Contains(reason, Assert.Throws<FlagError>(() => WeightsFlag.Parse(text)).Message, StringComparison.Ordinal);
}
