namespace Mesos.Core.Resources;

/// <summary>An inclusive range of values, as Mesos' <c>Value.Range</c> (ports 31000-32000 has 1001 values).</summary>
public readonly record struct ValueRange(ulong Begin, ulong End)
{
    /// <summary>How many values the range holds; the one range too big to count, [0-18446744073709551615], says <see cref="ulong.MaxValue"/>.</summary>
    public ulong Count => End - Begin == ulong.MaxValue ? ulong.MaxValue : End - Begin + 1;

    public override string ToString() => $"{Begin}-{End}";
}
