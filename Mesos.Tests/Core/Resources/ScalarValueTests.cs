using CsCheck;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Resources;

public sealed class ScalarValueTests
{
    public static readonly TheoryData<string, long> Parsed = new()
    {
        { "2", 2000 },
        { "0.5", 500 },
        { "0.1234", 123 },
        { "0.1235", 124 },
        { "0.0005", 1 },
        { "0.00049", 0 },
        { "1.0005", 1001 },
        { "2.0005", 2001 },
        { "-0.0005", -1 },
        { "-1.5", -1500 },
        { "1e3", 1_000_000 },
        { "1.5E-3", 2 },
        { " 7 ", 7000 },
        { "+3", 3000 },
        { "1000000000000", ScalarValue.MaxThousandths },
        { "-1e12", -ScalarValue.MaxThousandths },
        { "999999999999.9994", ScalarValue.MaxThousandths - 1 },
    };

    public static readonly TheoryData<long, string> Printed = new()
    {
        { 0, "0" },
        { 2000, "2" },
        { 500, "0.5" },
        { 120, "0.12" },
        { 123, "0.123" },
        { 1, "0.001" },
        { 1_000_001, "1000.001" },
        { -500, "-0.5" },
        { -1500, "-1.5" },
        { -2000, "-2" },
        { ScalarValue.MaxThousandths, "1000000000000" },
        { ScalarValue.MaxThousandths - 1, "999999999999.999" },
    };

    public static readonly TheoryData<string, string> Rejected = new()
    {
        { "abc", "not a number" },
        { "", "not a number" },
        { "1,5", "not a number" },
        { "0x10", "not a number" },
        { "NaN", "not a finite number" },
        { "Infinity", "not a finite number" },
        { "-Infinity", "not a finite number" },
        { "1e400", "too large" },
        { "1e13", "too large" },
        { "1000000000000.001", "too large" },
        { "1000000000000.0005", "too large" },
    };

    [Theory]
    [MemberData(nameof(Parsed))]
    public void TryParse_RoundsTheDecimalTextToThousandthsHalfAwayFromZero(string text, long thousandths)
    {
        Assert.True(ScalarValue.TryParse(text, out var value, out var error), error);
        Assert.Equal(thousandths, value.Thousandths);
    }

    [Theory]
    [MemberData(nameof(Printed))]
    public void ToString_IsTheShortestExactDecimal(long thousandths, string text) =>
        Assert.Equal(text, new ScalarValue(thousandths).ToString());

    [Theory]
    [MemberData(nameof(Rejected))]
    public void TryParse_BadText_FailsNamingTheText(string text, string reason)
    {
        Assert.False(ScalarValue.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1234, 123)]
    [InlineData(0.0005, 1)]
    [InlineData(-0.0005, -1)]
    [InlineData(1.5, 1500)]
    [InlineData(1.0005, 1001)]
    [InlineData(2.0005, 2001)]
    [InlineData(999999999999.999, ScalarValue.MaxThousandths - 1)]
    [InlineData(1e12, ScalarValue.MaxThousandths)]
    public void FromDouble_RoundsToThousandthsHalfAwayFromZero(double value, long thousandths) =>
        Assert.Equal(thousandths, ScalarValue.FromDouble(value).Thousandths);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1e13)]
    [InlineData(-1e13)]
    [InlineData(1000000000000.001)]
    [InlineData(1e300)]
    public void FromDouble_NonFiniteOrTooLarge_Throws(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ScalarValue.FromDouble(value));

    [Fact]
    public void Subtract_NeverGoesBelowZero()
    {
        Assert.Equal(ScalarValue.Zero, new ScalarValue(1000) - new ScalarValue(1001));
        Assert.Equal(new ScalarValue(1), new ScalarValue(1001) - new ScalarValue(1000));
    }

    [Fact]
    public void Add_IsExactForDecimalFractions() =>
        Assert.Equal(new ScalarValue(300), ScalarValue.FromDouble(0.1) + ScalarValue.FromDouble(0.2));

    [Fact]
    public void Comparison_FollowsTheThousandths()
    {
        Assert.True(new ScalarValue(1) < new ScalarValue(2));
        Assert.True(new ScalarValue(2) > new ScalarValue(1));
        Assert.True(new ScalarValue(2) <= new ScalarValue(2));
        Assert.True(new ScalarValue(2) >= new ScalarValue(2));
        Assert.Equal(-1, new ScalarValue(1).CompareTo(new ScalarValue(2)));
        Assert.False(ScalarValue.Zero.IsPositive);
        Assert.True(new ScalarValue(1).IsPositive);
    }

    [Fact]
    public void Print_ThenParse_ReturnsTheSameValue() =>
        Gen.Long[-ScalarValue.MaxThousandths, ScalarValue.MaxThousandths].Sample(thousandths =>
        {
            var value = new ScalarValue(thousandths);
            Assert.True(ScalarValue.TryParse(value.ToString(), out var parsed, out var error), error);
            Assert.Equal(value, parsed);
        }, iter: 2_000);

    [Fact]
    public void ThroughADouble_ReturnsTheSameValue() =>
        Gen.Long[-ScalarValue.MaxThousandths, ScalarValue.MaxThousandths].Sample(thousandths =>
        {
            var value = new ScalarValue(thousandths);
            Assert.Equal(value, ScalarValue.FromDouble(value.ToDouble()));
        }, iter: 2_000);
}
