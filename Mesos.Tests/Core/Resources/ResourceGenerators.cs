using CsCheck;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Resources;

/// <summary>
/// CsCheck generators for resources. Values are drawn from small domains (a few names, roles, ports 0-140, items
/// a-e) so that random sets overlap often and the interesting cases (merging, partial subtraction) are hit.
/// </summary>
internal static class ResourceGenerators
{
    public static readonly string[] ScalarNames = ["cpus", "mem", "disk"];

    public static readonly string[] RoleNames = [Resource.UnreservedRole, "eng", "eng/web", "ops"];

    public static readonly Gen<string> Role = Gen.OneOf(RoleNames);

    /// <summary>Mostly small fractional quantities, sometimes large ones.</summary>
    public static readonly Gen<ScalarValue> Scalar = Gen.OneOf<ScalarValue>(
        Gen.Long[1, 5_000].Select(t => new ScalarValue(t)),
        Gen.Long[1, 5_000].Select(t => new ScalarValue(t * 1000)),
        Gen.Long[1, ScalarValue.MaxThousandths / 1024].Select(t => new ScalarValue(t)));

    public static readonly Gen<ValueRange> Range =
        from begin in Gen.Int[0, 120]
        from length in Gen.Int[0, 20]
        select new ValueRange((ulong)begin, (ulong)(begin + length));

    public static readonly Gen<RangeSet> Ranges = Range.Array[0, 4].Select(RangeSet.Of);

    public static readonly Gen<ItemSet> Items = Gen.OneOf("a", "b", "c", "d", "e").Array[0, 4].Select(ItemSet.Of);

    public static readonly Gen<Resource> AnyResource = Gen.OneOf<Resource>(
        Gen.Select(Gen.OneOf(ScalarNames), Scalar, Role, (name, value, role) => Resource.OfScalar(name, value, role)),
        Gen.Select(Gen.OneOf(ScalarNames), Scalar, Role, (name, value, role) => Resource.OfScalar(name, value, role)),
        Gen.Select(Ranges, Role, (ranges, role) => Resource.OfRanges("ports", ranges, role)),
        Gen.Select(Items, Role, (items, role) => Resource.OfSet("bugs", items, role)));

    public static readonly Gen<ResourceSet> Set = AnyResource.Array[0, 7].Select(resources => ResourceSet.Of(resources));

    public static readonly Gen<(ResourceSet X, ResourceSet Y)> Pair = Gen.Select(Set, Set);

    public static readonly Gen<(ResourceSet X, ResourceSet Y, ResourceSet Z)> Triple = Gen.Select(Set, Set, Set);

    public static ResourceSet Scalars(ResourceSet set) => set.Filter(r => r.Kind == ResourceKind.Scalar);

    public static ResourceSet RangesAndSets(ResourceSet set) => set.Filter(r => r.Kind != ResourceKind.Scalar);
}
