using CsCheck;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Resources;

public sealed class RangeSetTests
{
    public static readonly TheoryData<string, string> Normalised = new()
    {
        { "[1-2,3-4]", "[1-4]" },
        { "[3-4,1-2]", "[1-4]" },
        { "[1-2,4-5]", "[1-2,4-5]" },
        { "[1-10,5-6]", "[1-10]" },
        { "[1-5,5-10]", "[1-10]" },
        { "[1-5,2-10]", "[1-10]" },
        { "[7,8,9]", "[7-9]" },
        { "[7,7]", "[7-7]" },
        { "[0-0]", "[0-0]" },
        { "[]", "[]" },
        { "[18446744073709551614-18446744073709551615,0]", "[0-0,18446744073709551614-18446744073709551615]" },
    };

    public static readonly TheoryData<string, string, string> Differences = new()
    {
        { "[1-10]", "[4-5]", "[1-3,6-10]" },
        { "[1-10]", "[1-10]", "[]" },
        { "[1-10]", "[0-20]", "[]" },
        { "[1-10]", "[1-1]", "[2-10]" },
        { "[1-10]", "[10-10]", "[1-9]" },
        { "[1-10]", "[11-20]", "[1-10]" },
        { "[1-10]", "[2-3,5-6,8-9]", "[1-1,4-4,7-7,10-10]" },
        { "[1-5,10-15]", "[4-11]", "[1-3,12-15]" },
        { "[0-18446744073709551615]", "[0-0,18446744073709551615-18446744073709551615]", "[1-18446744073709551614]" },
    };

    public static readonly TheoryData<string, string, bool> Containment = new()
    {
        { "[1-10]", "[3-5]", true },
        { "[1-10]", "[1-10]", true },
        { "[1-10]", "[]", true },
        { "[]", "[]", true },
        { "[]", "[1-1]", false },
        { "[1-10]", "[9-11]", false },
        { "[1-10]", "[0-1]", false },
        { "[1-4,6-10]", "[3-7]", false },
        { "[1-4,6-10]", "[2-3,7-8]", true },
        { "[1-2,3-4]", "[2-3]", true },
    };

    [Theory]
    [MemberData(nameof(Normalised))]
    public void Of_MergesOverlappingAndAdjacentRanges(string text, string printed)
    {
        Assert.True(RangeSet.TryParse(text, out var ranges, out var error), error);
        Assert.Equal(printed, ranges.ToString());
    }

    [Fact]
    public void Of_AdjacentRanges_MergeIntoOne() =>
        Assert.Equal([new ValueRange(1, 4)], RangeSet.Of([new ValueRange(1, 2), new ValueRange(3, 4)]).Ranges.AsEnumerable());

    [Fact]
    public void Of_ARangeEndingBeforeItBegins_Throws() =>
        Assert.Throws<ArgumentException>(() => RangeSet.Of([new ValueRange(5, 1)]));

    [Theory]
    [MemberData(nameof(Differences))]
    public void Difference_CutsOutTheOtherRanges(string from, string cut, string left) =>
        Assert.Equal(Parse(left), Parse(from).Difference(Parse(cut)));

    [Theory]
    [MemberData(nameof(Containment))]
    public void Contains_NeedsEveryValue(string have, string need, bool contained) =>
        Assert.Equal(contained, Parse(have).Contains(Parse(need)));

    [Fact]
    public void Count_IsTheNumberOfValues()
    {
        Assert.Equal(1001UL, Parse("[31000-32000]").Count);
        Assert.Equal(12UL, Parse("[1-10,20-21]").Count);
        Assert.Equal(0UL, RangeSet.Empty.Count);
    }

    [Fact]
    public void Count_OfRangesTooBigToCount_SaturatesInsteadOfWrapping()
    {
        Assert.Equal(ulong.MaxValue, Parse("[0-18446744073709551615]").Count);
        Assert.Equal(ulong.MaxValue, Parse("[0-18446744073709551613,18446744073709551615]").Count);
        Assert.Equal(ulong.MaxValue, Parse("[1-18446744073709551615]").Count);
        Assert.Equal(ulong.MaxValue - 1, Parse("[2-18446744073709551615]").Count);
    }

    /// <summary>Checks every operation against a plain set of the values, over a low and a high (near 2^64) window.</summary>
    [Fact]
    public void Operations_AgreeWithASetOfTheirValues() =>
        Gen.Select(RangeList, RangeList, Gen.Bool).Sample((a, b, high) =>
        {
            var offset = high ? ulong.MaxValue - 200 : 0;
            var left = RangeSet.Of(a.Select(r => Shift(r, offset)));
            var right = RangeSet.Of(b.Select(r => Shift(r, offset)));
            var leftValues = Values(a.Select(r => Shift(r, offset)));
            var rightValues = Values(b.Select(r => Shift(r, offset)));

            AssertNormalised(left);
            Assert.Equal(leftValues, Values(left.Ranges));
            Assert.Equal((ulong)leftValues.Count, left.Count);

            var union = left.Union(right);
            AssertNormalised(union);
            Assert.Equal(leftValues.Union(rightValues).Order(), Values(union.Ranges));

            var difference = left.Difference(right);
            AssertNormalised(difference);
            Assert.Equal(leftValues.Except(rightValues).Order(), Values(difference.Ranges));

            Assert.Equal(rightValues.IsSubsetOf(leftValues), left.Contains(right));
            Assert.Equal(left.Union(right), right.Union(left));
            Assert.True(union.Contains(left) && union.Contains(right));
            Assert.True(left.Contains(difference));

            Assert.True(RangeSet.TryParse(left.ToString(), out var reparsed, out var error), error);
            Assert.Equal(left, reparsed);
            Assert.Equal(left.GetHashCode(), reparsed.GetHashCode());
        }, iter: 1_000, print: t => $"a=[{string.Join(",", t.Item1)}] b=[{string.Join(",", t.Item2)}] high={t.Item3}");

    private static readonly Gen<ValueRange[]> RangeList =
        (from begin in Gen.Int[0, 180]
         from length in Gen.Int[0, 19]
         select new ValueRange((ulong)begin, (ulong)(begin + length))).Array[0, 5];

    private static ValueRange Shift(ValueRange range, ulong offset) => new(range.Begin + offset, range.End + offset);

    private static SortedSet<ulong> Values(IEnumerable<ValueRange> ranges)
    {
        var values = new SortedSet<ulong>();
        foreach (var range in ranges)
        {
            for (var value = range.Begin; ; value++)
            {
                values.Add(value);
                if (value == range.End)
                {
                    break;
                }
            }
        }

        return values;
    }

    private static void AssertNormalised(RangeSet set)
    {
        for (var i = 0; i < set.Ranges.Length; i++)
        {
            Assert.True(set.Ranges[i].Begin <= set.Ranges[i].End, $"{set}: range {i} ends before it begins");
            if (i > 0)
            {
                Assert.True(set.Ranges[i].Begin > set.Ranges[i - 1].End + 1, $"{set}: ranges {i - 1} and {i} touch or overlap");
            }
        }
    }

    private static RangeSet Parse(string text) =>
        RangeSet.TryParse(text, out var ranges, out var error) ? ranges : throw new FormatException(error);
}
