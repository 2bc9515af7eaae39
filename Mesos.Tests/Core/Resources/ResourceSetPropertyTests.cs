using CsCheck;
using Mesos.Core.Resources;
using static Mesos.Tests.Core.Resources.ResourceGenerators;

namespace Mesos.Tests.Core.Resources;

/// <summary>
/// Laws of resource arithmetic over random sets of fractional scalars, ranges and sets in a few roles. A failure
/// throws with CsCheck's "Set seed: ..." line, which replays it exactly.
/// </summary>
public sealed class ResourceSetPropertyTests
{
    private const int Iterations = 500;

    [Fact]
    public void Print_ThenParse_ReturnsTheSameSet() =>
        Set.Sample(x => Assert.Equal(x, ResourceSet.Parse(x.ToString())), iter: Iterations, print: Print);

    [Fact]
    public void AddThenSubtract_ReturnsTheOriginal_WhenRangesAndSetsDoNotOverlap() =>
        Pair.Sample((x, y) =>
        {
            var disjoint = Scalars(y) + (RangesAndSets(y) - x);
            Assert.Equal(x, x + disjoint - disjoint);
        }, iter: Iterations, print: Print);

    [Fact]
    public void AddThenSubtract_RestoresScalarsAndRemovesTheOverlapOfRangesAndSets() =>
        Pair.Sample((x, y) =>
            Assert.Equal(Scalars(x) + (RangesAndSets(x) - y), x + y - y), iter: Iterations, print: Print);

    [Fact]
    public void Subtract_GivesSomethingTheOriginalContains() =>
        Pair.Sample((x, y) => Assert.True(x.Contains(x - y)), iter: Iterations, print: Print);

    [Fact]
    public void Subtract_NeverLeavesANegativeOrEmptyEntry() =>
        Pair.Sample((x, y) =>
        {
            foreach (var entry in (x - y).Entries)
            {
                Assert.False(entry.IsEmpty, $"empty entry {entry}");
                if (entry.Kind == ResourceKind.Scalar)
                {
                    Assert.True(entry.Scalar.Thousandths > 0, $"non-positive scalar {entry}");
                }
            }
        }, iter: Iterations, print: Print);

    [Fact]
    public void Add_ContainsBothOperands() =>
        Pair.Sample((x, y) =>
        {
            Assert.True((x + y).Contains(x));
            Assert.True((x + y).Contains(y));
        }, iter: Iterations, print: Print);

    [Fact]
    public void Contains_HoldsExactlyWhenSubtractingLeavesNothing() =>
        Pair.Sample((x, y) => Assert.Equal(y.Contains(x), (x - y).IsEmpty), iter: Iterations, print: Print);

    [Fact]
    public void SubtractThenAdd_ReturnsTheOriginal_WhenTheOriginalContainsWhatIsSubtracted() =>
        Pair.Sample((x, y) =>
        {
            var part = x - y;
            Assert.True(x.Contains(part));
            Assert.Equal(x, x - part + part);
        }, iter: Iterations, print: Print);

    [Fact]
    public void Add_IsCommutative() =>
        Pair.Sample((x, y) => Assert.Equal(x + y, y + x), iter: Iterations, print: Print);

    [Fact]
    public void Add_IsAssociative() =>
        Triple.Sample((x, y, z) => Assert.Equal(x + y + z, x + (y + z)), iter: Iterations, print: Print);

    [Fact]
    public void Subtract_OfASuperset_IsEmpty() =>
        Pair.Sample((x, y) => Assert.Equal(ResourceSet.Empty, x - (x + y)), iter: Iterations, print: Print);

    [Fact]
    public void Subtract_InTurn_IsSubtractingTheSum() =>
        Triple.Sample((x, y, z) => Assert.Equal(x - (y + z), x - y - z), iter: Iterations, print: Print);

    [Fact]
    public void Empty_IsTheIdentity() =>
        Set.Sample(x =>
        {
            Assert.Equal(x, x + ResourceSet.Empty);
            Assert.Equal(x, ResourceSet.Empty + x);
            Assert.Equal(x, x - ResourceSet.Empty);
            Assert.Equal(ResourceSet.Empty, ResourceSet.Empty - x);
            Assert.Equal(ResourceSet.Empty, x - x);
            Assert.True(x.Contains(ResourceSet.Empty));
            Assert.True(x.Contains(x));
        }, iter: Iterations, print: Print);

    [Fact]
    public void Operators_AreTheMethods() =>
        Pair.Sample((x, y) =>
        {
            Assert.Equal(x.Add(y), x + y);
            Assert.Equal(x.Subtract(y), x - y);
        }, iter: Iterations, print: Print);

    [Fact]
    public void Of_IgnoresTheOrderAndSplittingOfItsInput() =>
        Gen.Select(Set, Gen.Int).Sample((x, shuffle) =>
        {
            var shuffled = ResourceSet.Of(Shuffle(x.Entries, shuffle));
            var split = ResourceSet.Of(Shuffle(x.Entries.SelectMany(Halves), shuffle));
            foreach (var same in new[] { shuffled, split })
            {
                Assert.Equal(x, same);
                Assert.Equal(x.GetHashCode(), same.GetHashCode());
                Assert.Equal(x.ToString(), same.ToString());
            }
        }, iter: Iterations, print: t => Print(t.Item1));

    [Fact]
    public void Entries_AreOnePerNameRoleAndKind_InOrder() =>
        Pair.Sample((x, y) =>
        {
            var entries = (x + y).Entries;
            var keys = entries.Select(e => (e.Name, e.Role, e.Kind)).ToList();
            Assert.Equal(keys.Distinct().Count(), keys.Count);
            Assert.Equal(
                keys,
                keys.OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Role, StringComparer.Ordinal).ThenBy(k => k.Kind));
        }, iter: Iterations, print: Print);

    [Fact]
    public void Scalar_OfASum_IsTheSumOfTheScalars() =>
        Pair.Sample((x, y) =>
        {
            foreach (var name in ScalarNames)
            {
                Assert.Equal(x.Scalar(name) + y.Scalar(name), (x + y).Scalar(name));
            }
        }, iter: Iterations, print: Print);

    [Fact]
    public void WithoutRoles_KeepsTheTotals() =>
        Set.Sample(x =>
        {
            var flat = x.WithoutRoles();
            Assert.All(flat.Entries, e => Assert.False(e.IsReserved));
            foreach (var name in ScalarNames)
            {
                Assert.Equal(x.Scalar(name), flat.Scalar(name));
            }

            Assert.Equal(flat, x.Entries.Aggregate(ResourceSet.Empty, (sum, e) => sum + ResourceSet.Of(e).WithoutRoles()));
        }, iter: Iterations, print: Print);

    [Fact]
    public void UnreservedAndEachRolesReservations_AddUpToTheWhole() =>
        Set.Sample(x =>
        {
            var whole = RoleNames.Where(r => r != Resource.UnreservedRole)
                .Aggregate(x.Unreserved(), (sum, role) => sum + x.ReservedFor(role));
            Assert.Equal(x, whole);
            Assert.All(x.Unreserved().Entries, e => Assert.False(e.IsReserved));
        }, iter: Iterations, print: Print);

    [Fact]
    public void AllocatableTo_IsUnreservedPlusTheReservationsOfTheRoleAndItsAncestors() =>
        Set.Sample(x =>
        {
            Assert.Equal(x.Unreserved() + x.ReservedFor("eng"), x.AllocatableTo("eng"));
            Assert.Equal(x.Unreserved() + x.ReservedFor("eng") + x.ReservedFor("eng/web"), x.AllocatableTo("eng/web"));
            Assert.Equal(x.Unreserved() + x.ReservedFor("ops"), x.AllocatableTo("ops"));
            Assert.Equal(x.Unreserved(), x.AllocatableTo("research"));
        }, iter: Iterations, print: Print);

    private static IEnumerable<Resource> Halves(Resource resource) => resource.Kind switch
    {
        ResourceKind.Scalar =>
        [
            Resource.OfScalar(resource.Name, new ScalarValue(resource.Scalar.Thousandths / 2), resource.Role),
            Resource.OfScalar(resource.Name, new ScalarValue(resource.Scalar.Thousandths - (resource.Scalar.Thousandths / 2)), resource.Role),
        ],
        ResourceKind.Ranges =>
        [
            Resource.OfRanges(resource.Name, RangeSet.Of(resource.Ranges.Ranges.Where((_, i) => i % 2 == 0)), resource.Role),
            Resource.OfRanges(resource.Name, RangeSet.Of(resource.Ranges.Ranges.Where((_, i) => i % 2 == 1)), resource.Role),
        ],
        _ =>
        [
            Resource.OfSet(resource.Name, ItemSet.Of(resource.Items.Items.Where((_, i) => i % 2 == 0)), resource.Role),
            Resource.OfSet(resource.Name, ItemSet.Of(resource.Items.Items.Where((_, i) => i % 2 == 1)), resource.Role),
        ],
    };

    /// <summary>A shuffle drawn from the generated <paramref name="seed"/>, so a failing case replays exactly.</summary>
    private static Resource[] Shuffle(IEnumerable<Resource> resources, int seed)
    {
        var array = resources.ToArray();
        new Random(seed).Shuffle(array);
        return array;
    }

    private static string Print(ResourceSet x) => $"'{x}'";

    private static string Print((ResourceSet X, ResourceSet Y) t) => $"x='{t.X}' y='{t.Y}'";

    private static string Print((ResourceSet X, ResourceSet Y, ResourceSet Z) t) => $"x='{t.X}' y='{t.Y}' z='{t.Z}'";
}
