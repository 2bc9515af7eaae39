using System.Globalization;

namespace Mesos.Hosting.Flags;

/// <summary>Mesos' duration syntax (stout <c>Duration::parse</c>): <c>250ms</c>, <c>15secs</c>, <c>1mins</c>, <c>2hrs</c>, <c>1days</c>, <c>2weeks</c>.</summary>
public static class MesosDuration
{
    private static readonly (string Unit, decimal Ticks)[] Units =
    [
        ("ns", TimeSpan.TicksPerMicrosecond / 1000m),
        ("us", TimeSpan.TicksPerMicrosecond),
        ("ms", TimeSpan.TicksPerMillisecond),
        ("secs", TimeSpan.TicksPerSecond),
        ("mins", TimeSpan.TicksPerMinute),
        ("hrs", TimeSpan.TicksPerHour),
        ("days", TimeSpan.TicksPerDay),
        ("weeks", TimeSpan.TicksPerDay * 7m),
    ];

    /// <summary>
    /// Parses a non-negative number followed by one of <c>ns us ms secs mins hrs days weeks</c>, rounded to the
    /// nearest tick (100 ns) in decimal arithmetic, so <see cref="Format"/>'s output reads back exactly. Anything
    /// else, including a duration too long for <see cref="TimeSpan"/>, is an error naming the text.
    /// </summary>
    public static bool TryParse(string text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        foreach (var (unit, ticksPerUnit) in Units)
        {
            if (!trimmed.EndsWith(unit, StringComparison.Ordinal)
                || !double.TryParse(trimmed[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                || !(number >= 0))
            {
                continue;
            }

            if (number * (double)ticksPerUnit >= TimeSpan.MaxValue.Ticks
                || !decimal.TryParse(trimmed[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var exact))
            {
                error = $"'{text}' is too long a duration (at most {TimeSpan.MaxValue.Days} days)";
                return false;
            }

            duration = TimeSpan.FromTicks((long)decimal.Round(exact * ticksPerUnit, MidpointRounding.AwayFromZero));
            error = null;
            return true;
        }

        error = $"'{text}' is not a duration (use a number and one of ns, us, ms, secs, mins, hrs, days, weeks: '15secs')";
        return false;
    }

    /// <summary>The shortest of <c>mins</c>, <c>secs</c> or <c>ms</c> that says <paramref name="duration"/> exactly; <see cref="TryParse"/> reads it back.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.TotalSeconds >= 1 && duration.TotalSeconds % 1 == 0)
        {
            return duration.TotalSeconds % 60 == 0 && duration.TotalSeconds >= 60
                ? (duration.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "mins"
                : duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "secs";
        }

        return duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
