using System.Globalization;

namespace Mesos.Hosting.Flags;

/// <summary>How a flag's text becomes a value, shared by <see cref="FlagParser"/> (which checks) and <see cref="FlagValues"/> (which reads).</summary>
internal static class FlagValueParser
{
    public static bool TryParseInt(string? text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDouble(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>stout's booleans: <c>true</c>/<c>1</c> and <c>false</c>/<c>0</c>.</summary>
    public static bool TryParseBool(string? text, out bool value)
    {
        value = text is "true" or "1";
        return text is "true" or "1" or "false" or "0";
    }

    /// <summary>Why <paramref name="text"/> is not a valid value of <paramref name="kind"/>, or null when it is.</summary>
    public static string? Check(FlagKind kind, string text) => kind switch
    {
        FlagKind.Int when !TryParseInt(text, out _) => $"'{text}' is not an integer",
        FlagKind.Double when !TryParseDouble(text, out _) => $"'{text}' is not a number",
        FlagKind.Bool when !TryParseBool(text, out _) => $"'{text}' is not true or false",
        FlagKind.Duration when !MesosDuration.TryParse(text, out _, out var durationError) => durationError,
        _ => null,
    };
}
