using System.Globalization;

namespace Mesos.Core.Resources;

/// <summary>
/// A scalar resource quantity in fixed point with three decimal digits, as Mesos rounds them.
/// Integer thousandths make addition exact and the state hash identical on every machine.
/// </summary>
public readonly record struct ScalarValue(long Thousandths) : IComparable<ScalarValue>
{
    public static readonly ScalarValue Zero = new(0);

    public static ScalarValue FromDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a scalar must be a finite number");
        }

        return new ScalarValue((long)Math.Round(value * 1000.0, MidpointRounding.AwayFromZero));
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
}
