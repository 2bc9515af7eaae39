using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Resources;

public sealed class ResourceSetParsingTests
{
    public static readonly TheoryData<string, string> Canonical = new()
    {
        { "cpus:2;mem:1024;ports:[31000-32000]", "cpus:2;mem:1024;ports:[31000-32000]" },
        { "cpus(role):2", "cpus(role):2" },
        { "cpus(eng/web):1", "cpus(eng/web):1" },
        { "cpus(eng/web/api):0.5", "cpus(eng/web/api):0.5" },
        { "cpus(*):2", "cpus:2" },
        { "bugs:{a,b,c}", "bugs:{a,b,c}" },
        { "bugs:{c, a ,b,a}", "bugs:{a,b,c}" },
        { "bugs:{a,,b}", "bugs:{a,b}" },
        { "cpus:0.1234", "cpus:0.123" },
        { "cpus:0.0005", "cpus:0.001" },
        { "cpus:0.0015", "cpus:0.002" },
        { "cpus:1.0005", "cpus:1.001" },
        { "cpus:2.9999", "cpus:3" },
        { "cpus:0.0004", "" },
        { "cpus:0", "" },
        { "cpus:-0", "" },
        { "cpus:1e3", "cpus:1000" },
        { "cpus:.5", "cpus:0.5" },
        { "cpus:1;cpus:2", "cpus:3" },
        { "cpus:0.1;cpus:0.2", "cpus:0.3" },
        { "cpus(eng):1;cpus(eng):2.5", "cpus(eng):3.5" },
        { "cpus(eng):1;cpus:2", "cpus:2;cpus(eng):1" },
        { "ports:[1-2];ports:[3-4]", "ports:[1-4]" },
        { "ports:[1-2,3-4]", "ports:[1-4]" },
        { "ports:[31000-32000];ports:[32001-33000]", "ports:[31000-33000]" },
        { "ports:[10-20,15-30,1-5]", "ports:[1-5,10-30]" },
        { "ports:[80]", "ports:[80-80]" },
        { "ports:[ 80 - 81 , 90 ]", "ports:[80-81,90-90]" },
        { "ports:[]", "" },
        { "bugs:{}", "" },
        { "bugs:{a};bugs:{b}", "bugs:{a,b}" },
        { "  cpus : 2 ;  mem:1024 ; ", "cpus:2;mem:1024" },
        { "cpus (eng) : 2", "cpus(eng):2" },
        { "cpus:2;\n mem:1\t", "cpus:2;mem:1" },
        { "", "" },
        { "   ", "" },
        { ";;", "" },
        {
            "mem:24576;disk:409600;cpus:24;ports:[21000-24000,30000-34000];bugs(debug_role):{a,b,c}",
            "bugs(debug_role):{a,b,c};cpus:24;disk:409600;mem:24576;ports:[21000-24000,30000-34000]"
        },
        { "mem:999999999999.999", "mem:999999999999.999" },
        { "gpu.model-x_2/v:1", "gpu.model-x_2/v:1" },
    };

    public static readonly TheoryData<string, string[]> Invalid = new()
    {
        { "cpus:abc", ["'cpus'", "'abc'", "not a number"] },
        { "cpus:1,5", ["'cpus'", "'1,5'"] },
        { "cpus:1:2", ["'cpus'", "'1:2'"] },
        { "cpus:-1", ["'cpus'", "'-1'", "negative"] },
        { "cpus:-0.0001", ["'cpus'", "'-0.0001'", "negative"] },
        { "cpus", ["'cpus'", "name:value"] },
        { "cpus:1;mem", ["'mem'", "name:value"] },
        { ":2", ["':2'", "no resource name"] },
        { "cpus:", ["'cpus'", "no value"] },
        { "cpus(:2", ["'cpus('", "unclosed"] },
        { "cpus(eng:2", ["'cpus(eng'", "unclosed"] },
        { "cpus)eng(:2", ["'cpus)eng('", "unmatched"] },
        { "cpus(a)(b):2", ["'cpus(a)(b)'", "unmatched"] },
        { "cpus(eng)x:2", ["'cpus(eng)x'", "after the role"] },
        { "(eng):2", ["'(eng)'", "no resource name"] },
        { "cpus(/bad):2", ["'cpus(/bad)'", "'/bad'", "'/'"] },
        { "cpus(bad/):2", ["'bad/'", "'/'"] },
        { "cpus(eng//web):2", ["'eng//web'", "'//'"] },
        { "cpus():2", ["'cpus()'", "empty"] },
        { "cpus(eng web):2", ["'eng web'", "whitespace"] },
        { "cpus(eng/..):2", ["'eng/..'", "'..'"] },
        { "cpus(-eng):2", ["'-eng'", "'-'"] },
        { "cpus(eng/*):2", ["'eng/*'", "'*'"] },
        { "cp us:2", ["'cp us'", "not a valid resource name"] },
        { "cpus!:2", ["'cpus!'", "not a valid resource name"] },
        { "ports:[5-1]", ["'ports'", "'5-1'", "ends before it begins"] },
        { "ports:[a-b]", ["'ports'", "'a-b'"] },
        { "ports:[1-2-3]", ["'ports'", "'1-2-3'"] },
        { "ports:[-5]", ["'ports'", "'-5'"] },
        { "ports:[1-]", ["'ports'", "'1-'"] },
        { "ports:[1-2,]", ["'ports'", "[1-2,]"] },
        { "ports:[1-99999999999999999999]", ["'ports'", "'1-99999999999999999999'"] },
        { "ports:[1-2;cpus:1", ["'ports'", "'[1-2;cpus:1'"] },
        { "ports:1-2]", ["'ports'", "'1-2]'"] },
        { "bugs:{a;b}", ["'bugs'", "'a;b'"] },
        { "bugs:{a,b", ["'bugs'", "'{a,b'"] },
        { "cpus:NaN", ["'cpus'", "'NaN'", "finite"] },
        { "cpus:Infinity", ["'cpus'", "'Infinity'", "finite"] },
        { "cpus:-Infinity", ["'cpus'", "'-Infinity'", "finite"] },
        { "cpus:1e400", ["'cpus'", "'1e400'", "too large"] },
        { "mem:1e13", ["'mem'", "'1e13'", "too large"] },
        { "cpus:1000000000000.001", ["'cpus'", "'1000000000000.001'", "too large"] },
        { "cpus:1;cpus:[1-2]", ["'cpus'", "a scalar", "ranges"] },
        { "bugs(eng):{a};bugs:2", ["'bugs'", "a set", "a scalar"] },
    };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Parse_ValidText_PrintsInCanonicalForm(string text, string printed)
    {
        Assert.True(ResourceSet.TryParse(text, out var resources, out var error), error);
        Assert.Equal(printed, resources.ToString());
        Assert.Equal(resources, ResourceSet.Parse(printed));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidText_FailsWithAnErrorNamingTheCulprit(string text, string[] mentions)
    {
        Assert.False(ResourceSet.TryParse(text, out var resources, out var error));
        Assert.Null(resources);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error, StringComparison.Ordinal);
        }

        var thrown = Assert.Throws<FormatException>(() => ResourceSet.Parse(text));
        Assert.Contains(error, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TheDocumentedExample_GivesEachKindAndRole()
    {
        var resources = ResourceSet.Parse("cpus:2;mem:1024;ports:[31000-32000];bugs(debug):{a,b}");

        Assert.Equal(ResourceSet.Of(
            Resource.OfScalar("cpus", 2),
            Resource.OfScalar("mem", 1024),
            Resource.OfRanges("ports", RangeSet.Of([new ValueRange(31000, 32000)])),
            Resource.OfSet("bugs", ItemSet.Of(["a", "b"]), "debug")), resources);
        Assert.Equal(2000, resources.Scalar("cpus").Thousandths);
        Assert.Equal(1001UL, resources.Entries.Single(r => r.Name == "ports").Ranges.Count);
        Assert.Equal("debug", resources.Entries.Single(r => r.Name == "bugs").Role);
    }

    [Fact]
    public void Parse_ScalarsAreKeptInThousandths()
    {
        Assert.Equal(123, ResourceSet.Parse("cpus:0.1234").Scalar("cpus").Thousandths);
        Assert.Equal(1, ResourceSet.Parse("cpus:0.0005").Scalar("cpus").Thousandths);
        Assert.Equal(300, ResourceSet.Parse("cpus:0.1;cpus:0.2").Scalar("cpus").Thousandths);
    }

    [Fact]
    public void Parse_EmptyText_IsTheEmptySet()
    {
        Assert.True(ResourceSet.Parse(string.Empty).IsEmpty);
        Assert.Equal(ResourceSet.Empty, ResourceSet.Parse(string.Empty));
        Assert.Equal(string.Empty, ResourceSet.Empty.ToString());
    }
}
