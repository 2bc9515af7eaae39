using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mesos.Core.Resources;

/// <summary>
/// A scalar resource quantity in fixed point with three decimal digits, as Mesos rounds them.
/// Integer thousandths make addition exact and the state hash identical on every machine.
/// </summary>
public readonly record struct ScalarValue(long Thousandths) : IComparable<ScalarValue>
{
    /// <summary>
    /// The largest magnitude a parsed or converted scalar may have, in thousandths: 10^15, that is a trillion
    /// (an exabyte of <c>mem</c> in MB). Below 2^43 every thousandth is a distinct double, so every value goes
    /// through the wire's doubles and back exactly.
    /// </summary>
    public const long MaxThousandths = 1_000_000_000_000_000;

    public static readonly ScalarValue Zero = new(0);

    /// <summary>
    /// Rounds to thousandths, half away from zero, as <see cref="TryParse"/> rounds the shortest decimal text of
    /// <paramref name="value"/>: <c>FromDouble(x.ToDouble()) == x</c>, and 1.0005 is 1.001 even though the nearest
    /// double is a hair below it.
    /// </summary>
    public static ScalarValue FromDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a scalar must be a finite number");
        }

        if (Math.Abs(value) > (MaxThousandths / 1000) + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"a scalar must be at most {MaxMagnitudeText} in magnitude");
        }

        var exact = decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        var thousandths = decimal.Round(exact * 1000m, MidpointRounding.AwayFromZero);
        if (Math.Abs(thousandths) > MaxThousandths)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"a scalar must be at most {MaxMagnitudeText} in magnitude");
        }

        return new ScalarValue((long)thousandths);
    }

    /// <summary>
    /// Parses a decimal number as written (<c>2</c>, <c>0.5</c>, <c>1e3</c>) and rounds it to thousandths, half away
    /// from zero. The rounding is done on the decimal text, so <c>1.0005</c> is 1.001 whatever its nearest double is.
    /// Negative values are allowed here; resources reject them, attributes do not.
    /// </summary>
    public static bool TryParse(string text, out ScalarValue value, [NotNullWhen(false)] out string? error)
    {
        value = Zero;
        var trimmed = text.Trim();
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{text}' is not a number";
            return false;
        }

        if (double.IsNaN(number) || (double.IsInfinity(number) && !trimmed.Any(char.IsAsciiDigit)))
        {
            error = $"'{text}' is not a finite number";
            return false;
        }

        if (!decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
            || Math.Abs(decimal.Round(exact * 1000m, MidpointRounding.AwayFromZero)) > MaxThousandths)
        {
            error = $"'{text}' is too large (a scalar is at most {MaxMagnitudeText})";
            return false;
        }

        value = new ScalarValue((long)decimal.Round(exact * 1000m, MidpointRounding.AwayFromZero));
        error = null;
        return true;
    }

    public double ToDouble() => Thousandths / 1000.0;

    public bool IsPositive => Thousandths > 0;

    public static ScalarValue operator +(ScalarValue a, ScalarValue b) => new(checked(a.Thousandths + b.Thousandths));

    /// <summary>Subtraction never goes below zero: resources cannot be owed.</summary>
    public static ScalarValue operator -(ScalarValue a, ScalarValue b) => new(Math.Max(0, a.Thousandths - b.Thousandths));

    public static bool operator <(ScalarValue a, ScalarValue b) => a.Thousandths < b.Thousandths;

    public static bool operator >(ScalarValue a, ScalarValue b) => a.Thousandths > b.Thousandths;

    public static bool operator <=(ScalarValue a, ScalarValue b) => a.Thousandths <= b.Thousandths;

    public static bool operator >=(ScalarValue a, ScalarValue b) => a.Thousandths >= b.Thousandths;

    public int CompareTo(ScalarValue other) => Thousandths.CompareTo(other.Thousandths);

    /// <summary>The shortest exact decimal form: <c>2</c>, <c>0.5</c>, <c>0.123</c>; <see cref="TryParse"/> reads it back.</summary>
    public override string ToString()
    {
        var whole = Thousandths / 1000;
        var fraction = Math.Abs(Thousandths % 1000);
        if (fraction == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var sign = Thousandths < 0 && whole == 0 ? "-" : string.Empty;
        return sign + whole.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    private static string MaxMagnitudeText => new ScalarValue(MaxThousandths).ToString();
}
