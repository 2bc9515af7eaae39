using System.Globalization;

namespace Mesos.Hosting.Flags;

/// <summary>Mesos' duration syntax (stout <c>Duration::parse</c>): <c>250ms</c>, <c>15secs</c>, <c>1mins</c>, <c>2hrs</c>, <c>1days</c>, <c>2weeks</c>.</summary>
public static class MesosDuration
{
    private static readonly (string Unit, double Seconds)[] Units =
    [
        ("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("secs", 1), ("mins", 60), ("hrs", 3600), ("days", 86400), ("weeks", 604800),
    ];

    public static bool TryParse(string text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        foreach (var (unit, seconds) in Units)
        {
            if (trimmed.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(trimmed[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number >= 0 && !double.IsInfinity(number))
            {
                duration = TimeSpan.FromSeconds(number * seconds);
                error = null;
                return true;
            }
        }

        error = $"'{text}' is not a duration (use a number and one of ns, us, ms, secs, mins, hrs, days, weeks: '15secs')";
        return false;
    }

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
