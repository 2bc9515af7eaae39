using CsCheck;
using Mesos.Core.Attributes;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Attributes;

public sealed class AgentAttributesTests
{
    public static readonly TheoryData<string, string> Canonical = new()
    {
        { "rack:r1;zone:z2", "rack:r1;zone:z2" },
        { "zone:z2;rack:r1", "zone:z2;rack:r1" },
        { "level:10", "level:10" },
        { "level:0.1234", "level:0.123" },
        { "level:-2.5", "level:-2.5" },
        { "level:1e3", "level:1000" },
        { "keys:[1000-1500]", "keys:[1000-1500]" },
        { "keys:[1-2,3-4]", "keys:[1-4]" },
        { "tags:{b,a}", "tags:{a,b}" },
        { "rack:abc;zone:west;level:10;keys:[1000-1500]", "rack:abc;zone:west;level:10;keys:[1000-1500]" },
        { " rack : r 1 ; ; zone:z2 ", "rack:r 1;zone:z2" },
        { "rack:r1\nzone:z2\n", "rack:r1;zone:z2" },
        { "os:ubuntu:24.04", "os:ubuntu:24.04" },
        { "version:1.2.3", "version:1.2.3" },
        { "mode:NaN", "mode:NaN" },
        { "", "" },
    };

    public static readonly TheoryData<string, string[]> Invalid = new()
    {
        { "rack:r1;rack:r2", ["'rack'", "twice"] },
        { "rack:r1;zone:z;rack:r1", ["'rack'", "twice"] },
        { "rack:", ["'rack'", "no value"] },
        { "rack:  ;zone:z2", ["'rack'", "no value"] },
        { "rack", ["'rack'", "name:value"] },
        { "rack:r1;zone", ["'zone'", "name:value"] },
        { ":r1", ["':r1'", "no name"] },
        { "keys:[5-1]", ["'keys'", "'5-1'"] },
        { "keys:[a-b]", ["'keys'", "'a-b'"] },
        { "keys:[1-2", ["'keys'", "'[1-2'"] },
        { "tags:{a,b", ["'tags'", "'{a,b'"] },
        { "level:1e400", ["'level'", "too large"] },
    };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Parse_ValidText_PrintsItBackInOrder(string text, string printed)
    {
        Assert.True(AgentAttributes.TryParse(text, out var attributes, out var error), error);
        Assert.Equal(printed, attributes.ToString());
        var reparsed = AgentAttributes.Parse(attributes.ToString());
        Assert.Equal(attributes, reparsed);
        Assert.Equal(attributes.GetHashCode(), reparsed.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidText_FailsWithAnErrorNamingTheCulprit(string text, string[] mentions)
    {
        Assert.False(AgentAttributes.TryParse(text, out var attributes, out var error));
        Assert.Null(attributes);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error, StringComparison.Ordinal);
        }

        var thrown = Assert.Throws<FormatException>(() => AgentAttributes.Parse(text));
        Assert.Contains(error, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GivesEachValueItsKind()
    {
        var attributes = AgentAttributes.Parse("rack:r1;level:10;keys:[1000-1500];tags:{a,b}");

        Assert.Equal(
            [
                AgentAttribute.OfText("rack", "r1"),
                AgentAttribute.OfScalar("level", new ScalarValue(10_000)),
                AgentAttribute.OfRanges("keys", RangeSet.Of([new ValueRange(1000, 1500)])),
                AgentAttribute.OfSet("tags", ItemSet.Of(["a", "b"])),
            ],
            attributes.Items.AsEnumerable());
        Assert.Equal(
            [AttributeKind.Text, AttributeKind.Scalar, AttributeKind.Ranges, AttributeKind.Set],
            attributes.Items.Select(a => a.Kind));
        Assert.Equal(["r1", "10", "[1000-1500]", "{a,b}"], attributes.Items.Select(a => a.ValueText));
    }

    [Fact]
    public void Print_ThenParse_ReturnsTheSameAttributes() =>
        AnyAttributes.Sample(attributes =>
        {
            Assert.True(AgentAttributes.TryParse(attributes.ToString(), out var reparsed, out var error), error);
            Assert.Equal(attributes, reparsed);
            Assert.Equal(attributes.GetHashCode(), reparsed.GetHashCode());
        }, iter: 1_000, print: a => $"'{a}'");

    [Fact]
    public void Parse_EmptyText_HasNoAttributes()
    {
        Assert.Empty(AgentAttributes.Parse(string.Empty).Items);
        Assert.Equal(AgentAttributes.Empty, AgentAttributes.Parse("  "));
    }

    [Fact]
    public void Equality_DependsOnOrderAndValues()
    {
        var a = AgentAttributes.Parse("rack:r1;zone:z2");

        Assert.Equal(a, AgentAttributes.Parse("rack:r1 ; zone:z2"));
        Assert.NotEqual(a, AgentAttributes.Parse("zone:z2;rack:r1"));
        Assert.NotEqual(a, AgentAttributes.Parse("rack:r1;zone:z3"));
        Assert.NotEqual(AgentAttributes.Parse("level:10"), AgentAttributes.Parse("level:10.001"));
        Assert.False(a.Equals(null));
    }

    private static readonly Gen<AgentAttribute> AnyAttribute = Gen.OneOf<AgentAttribute>(
        Gen.Select(Gen.Char["abcxyzAEIN"].Array[1, 8], Gen.Char["abcz0189-_."].Array[0, 4],
            (head, tail) => AgentAttribute.OfText("t", new string(head) + new string(tail))),
        Gen.Long[-10_000_000, 10_000_000].Select(t => AgentAttribute.OfScalar("s", new ScalarValue(t))),
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 10]).Array[0, 3]
            .Select(rs => AgentAttribute.OfRanges("r", RangeSet.Of(rs.Select(r => new ValueRange((ulong)r.Item1, (ulong)(r.Item1 + r.Item2)))))),
        Gen.OneOf("a", "b", "c", "x y").Array[0, 3].Select(items => AgentAttribute.OfSet("i", ItemSet.Of(items))));

    /// <summary>Random attributes under distinct names, in a random order.</summary>
    private static readonly Gen<AgentAttributes> AnyAttributes =
        AnyAttribute.Array[0, 6].Select(list => AgentAttributes.Of(list.Select((a, i) => a with { Name = $"{a.Name}{i}" })));
}
