using CsCheck;
using Mesos.Hosting.Flags;

namespace Mesos.Tests.Hosting.Flags;

public sealed class MesosDurationTests
{
    public static readonly TheoryData<string, TimeSpan> Valid = new()
    {
        { "15secs", TimeSpan.FromSeconds(15) },
        { "1mins", TimeSpan.FromMinutes(1) },
        { "10mins", TimeSpan.FromMinutes(10) },
        { "250ms", TimeSpan.FromMilliseconds(250) },
        { "2weeks", TimeSpan.FromDays(14) },
        { "1weeks", TimeSpan.FromDays(7) },
        { "1days", TimeSpan.FromDays(1) },
        { "2hrs", TimeSpan.FromHours(2) },
        { "5us", TimeSpan.FromTicks(50) },
        { "300ns", TimeSpan.FromTicks(3) },
        { "1.5secs", TimeSpan.FromMilliseconds(1500) },
        { "1.1secs", TimeSpan.FromMilliseconds(1100) },
        { "0.5mins", TimeSpan.FromSeconds(30) },
        { "0secs", TimeSpan.Zero },
        { " 15secs ", TimeSpan.FromSeconds(15) },
        { "1e3ms", TimeSpan.FromSeconds(1) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_MesosDurations(string text, TimeSpan expected)
    {
        Assert.True(MesosDuration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(expected, duration);
    }

    [Theory]
    [InlineData("15", "not a duration")]
    [InlineData("15s", "not a duration")]
    [InlineData("15sec", "not a duration")]
    [InlineData("15 seconds", "not a duration")]
    [InlineData("secs", "not a duration")]
    [InlineData("", "not a duration")]
    [InlineData("-1secs", "not a duration")]
    [InlineData("NaNsecs", "not a duration")]
    [InlineData("1e300secs", "too long")]
    [InlineData("Infinitysecs", "too long")]
    [InlineData("1000000000weeks", "too long")]
    public void TryParse_BadText_FailsNamingIt(string text, string reason)
    {
        Assert.False(MesosDuration.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15_000, "15secs")]
    [InlineData(60_000, "1mins")]
    [InlineData(90_000, "90secs")]
    [InlineData(250, "250ms")]
    [InlineData(1_500, "1500ms")]
    [InlineData(0, "0ms")]
    public void Format_PicksAUnitThatSaysItExactly(long milliseconds, string text) =>
        Assert.Equal(text, MesosDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Format_ThenParse_ReturnsTheSameDuration() =>
        Gen.Long[0, TimeSpan.FromDays(3650).Ticks].Sample(ticks =>
        {
            var duration = TimeSpan.FromTicks(ticks);
            Assert.True(MesosDuration.TryParse(MesosDuration.Format(duration), out var parsed, out var error), error);
            Assert.Equal(duration, parsed);
        }, iter: 2_000, print: ticks => $"{ticks} ticks = '{MesosDuration.Format(TimeSpan.FromTicks(ticks))}'");
}
