namespace Mesos.Core.Resources;

/// <summary>An inclusive range of values, as Mesos' <c>Value.Range</c> (ports 31000-32000 has 1001 values).</summary>
public readonly record struct ValueRange(ulong Begin, ulong End)
{
    public ulong Count => End - Begin + 1;

    public override string ToString() => $"{Begin}-{End}";
}
