using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Resources;

public sealed class ResourceSetTests
{
    public static readonly TheoryData<string, string, string> Sums = new()
    {
        { "cpus:1", "cpus:2", "cpus:3" },
        { "cpus:0.1", "cpus:0.2", "cpus:0.3" },
        { "cpus:1", "cpus(eng):2", "cpus:1;cpus(eng):2" },
        { "cpus:1", "mem:64", "cpus:1;mem:64" },
        { "ports:[1-2]", "ports:[3-4]", "ports:[1-4]" },
        { "ports:[1-5]", "ports:[3-8]", "ports:[1-8]" },
        { "bugs:{a}", "bugs:{a,b}", "bugs:{a,b}" },
        { "", "cpus:1", "cpus:1" },
    };

    public static readonly TheoryData<string, string, string> Differences = new()
    {
        { "cpus:3", "cpus:1", "cpus:2" },
        { "cpus:1", "cpus:2", "" },
        { "cpus:1", "cpus:1", "" },
        { "cpus:0.3", "cpus:0.1", "cpus:0.2" },
        { "cpus:4", "cpus(eng):1", "cpus:4" },
        { "cpus(eng):4", "cpus:1", "cpus(eng):4" },
        { "cpus:4;mem:64", "mem:64", "cpus:4" },
        { "cpus:4", "mem:64", "cpus:4" },
        { "ports:[1-10]", "ports:[4-5]", "ports:[1-3,6-10]" },
        { "ports:[1-10]", "ports:[5-20]", "ports:[1-4]" },
        { "bugs:{a,b,c}", "bugs:{b,z}", "bugs:{a,c}" },
        { "", "cpus:1", "" },
    };

    public static readonly TheoryData<string, string, bool> Containment = new()
    {
        { "cpus:2", "cpus:2", true },
        { "cpus:2", "cpus:2.001", false },
        { "cpus:2;mem:64", "cpus:1", true },
        { "cpus:2", "cpus:1;mem:1", false },
        { "cpus(eng):2", "cpus:1", false },
        { "cpus:2", "cpus(eng):1", false },
        { "cpus:1;cpus(eng):1", "cpus:1;cpus(eng):1", true },
        { "ports:[1-10]", "ports:[3-5]", true },
        { "ports:[1-10]", "ports:[9-11]", false },
        { "bugs:{a,b}", "bugs:{b}", true },
        { "bugs:{a,b}", "bugs:{c}", false },
        { "cpus:1", "", true },
        { "", "", true },
        { "", "cpus:1", false },
    };

    [Theory]
    [MemberData(nameof(Sums))]
    public void Add_MergesTheSameNameAndRole(string left, string right, string sum) =>
        Assert.Equal(sum, (ResourceSet.Parse(left) + ResourceSet.Parse(right)).ToString());

    [Theory]
    [MemberData(nameof(Differences))]
    public void Subtract_TakesAwayPerNameAndRoleAndNeverGoesNegative(string left, string right, string difference) =>
        Assert.Equal(difference, (ResourceSet.Parse(left) - ResourceSet.Parse(right)).ToString());

    [Theory]
    [MemberData(nameof(Containment))]
    public void Contains_ChecksEveryResourceInItsOwnRole(string have, string need, bool contained) =>
        Assert.Equal(contained, ResourceSet.Parse(have).Contains(ResourceSet.Parse(need)));

    [Fact]
    public void Scalar_SumsOverRolesAndIsZeroWhenAbsent()
    {
        var resources = ResourceSet.Parse("cpus:1;cpus(eng):2.5;cpus(eng/web):0.25;mem:64");
        Assert.Equal(3750, resources.Scalar("cpus").Thousandths);
        Assert.Equal(ScalarValue.Zero, resources.Scalar("gpus"));
        Assert.Equal(ScalarValue.Zero, ResourceSet.Parse("ports:[1-2]").Scalar("ports"));
    }

    [Fact]
    public void RoleFilters_SelectByReservation()
    {
        var resources = ResourceSet.Parse("cpus:1;cpus(eng):2;cpus(eng/web):3;cpus(ops):4;ports(eng):[1-2]");

        Assert.Equal("cpus:1", resources.Unreserved().ToString());
        Assert.Equal("cpus(eng):2;ports(eng):[1-2]", resources.ReservedFor("eng").ToString());
        Assert.Equal("cpus(eng/web):3", resources.ReservedFor("eng/web").ToString());
        Assert.Equal("cpus:1;cpus(eng):2;ports(eng):[1-2]", resources.AllocatableTo("eng").ToString());
        Assert.Equal("cpus:1;cpus(ops):4", resources.AllocatableTo("ops").ToString());
        Assert.Equal("cpus:1", resources.AllocatableTo("research").ToString());
        Assert.Equal("cpus:10;ports:[1-2]", resources.WithoutRoles().ToString());
        Assert.Equal("cpus(ops):4", resources.Filter(r => r.Role == "ops").ToString());
    }

    [Fact]
    public void AllocatableTo_ASubrole_IncludesItsAncestorsReservations() =>
        Assert.Equal(
            "cpus:1;cpus(eng):2;cpus(eng/web):3",
            ResourceSet.Parse("cpus:1;cpus(eng):2;cpus(eng/web):3;cpus(eng/api):5;cpus(engine):6").AllocatableTo("eng/web").ToString());

    [Fact]
    public void Of_DropsEmptyResources()
    {
        var resources = ResourceSet.Of(
            Resource.OfScalar("cpus", 0),
            Resource.OfScalar("mem", new ScalarValue(-5)),
            Resource.OfRanges("ports", RangeSet.Empty),
            Resource.OfSet("bugs", ItemSet.Empty));

        Assert.True(resources.IsEmpty);
        Assert.Equal(ResourceSet.Empty, resources);
    }

    [Fact]
    public void Equality_IsByContent()
    {
        var a = ResourceSet.Parse("mem:64;cpus:1");
        var b = ResourceSet.Of(Resource.OfScalar("cpus", 0.5), Resource.OfScalar("mem", 64), Resource.OfScalar("cpus", 0.5));

        Assert.Equal(a, b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ResourceSet.Parse("mem:64;cpus(eng):1"));
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void Resource_PrintsInTheFlagSyntax()
    {
        Assert.Equal("cpus:1.5", Resource.OfScalar("cpus", 1.5).ToString());
        Assert.Equal("cpus(eng/web):1.5", Resource.OfScalar("cpus", 1.5, "eng/web").ToString());
        Assert.Equal("ports:[1-2,4-4]", Resource.OfRanges("ports", RangeSet.Of([new ValueRange(1, 2), new ValueRange(4, 4)])).ToString());
        Assert.Equal("bugs(debug):{a,b}", Resource.OfSet("bugs", ItemSet.Of(["b", "a"]), "debug").ToString());
        Assert.False(Resource.OfScalar("cpus", 1).IsReserved);
        Assert.True(Resource.OfScalar("cpus", 1, "eng").IsReserved);
    }
}
