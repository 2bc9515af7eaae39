using CsCheck;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Resources;

public sealed class ItemSetTests
{
    [Theory]
    [InlineData("{a,b,c}", "{a,b,c}")]
    [InlineData("{c,b,a}", "{a,b,c}")]
    [InlineData("{ a , b ,a}", "{a,b}")]
    [InlineData("{a,,b,}", "{a,b}")]
    [InlineData("{}", "{}")]
    [InlineData("{ }", "{}")]
    [InlineData("{a b,c:d,e.f}", "{a b,c:d,e.f}")]
    public void TryParse_SortsAndDeduplicates(string text, string printed)
    {
        Assert.True(ItemSet.TryParse(text, out var set, out var error), error);
        Assert.Equal(printed, set.ToString());
    }

    [Theory]
    [InlineData("a,b", "'a,b'")]
    [InlineData("{a,b", "'{a,b'")]
    [InlineData("a,b}", "'a,b}'")]
    [InlineData("", "''")]
    [InlineData("{a;b}", "'a;b'")]
    [InlineData("{a{b}", "'a{b'")]
    [InlineData("{a[1]}", "'a[1]'")]
    [InlineData("{f(x)}", "'f(x)'")]
    public void TryParse_BadText_FailsNamingIt(string text, string mention)
    {
        Assert.False(ItemSet.TryParse(text, out var set, out var error));
        Assert.Null(set);
        Assert.Contains(mention, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Operations_AgreeWithASetOfTheirItems() =>
        Gen.Select(Items, Items).Sample((a, b) =>
        {
            var left = ItemSet.Of(a);
            var right = ItemSet.Of(b);
            Assert.Equal(a.Distinct().Order(StringComparer.Ordinal), left.Items);
            Assert.Equal(a.Union(b).Distinct().Order(StringComparer.Ordinal), left.Union(right).Items);
            Assert.Equal(a.Except(b).Order(StringComparer.Ordinal), left.Difference(right).Items);
            Assert.Equal(b.All(a.Contains), left.Contains(right));
            Assert.Equal(left.Union(right), right.Union(left));
            Assert.True(ItemSet.TryParse(left.ToString(), out var reparsed, out var error), error);
            Assert.Equal(left, reparsed);
            Assert.Equal(left.GetHashCode(), reparsed.GetHashCode());
        }, iter: 1_000, print: t => $"a=[{string.Join(",", t.Item1)}] b=[{string.Join(",", t.Item2)}]");

    private static readonly Gen<string[]> Items = Gen.OneOf("a", "b", "c", "d", "e", "f").Array[0, 6];
}
