using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Mesos.Core.Resources;

/// <summary>A set of values kept as sorted, disjoint, non-adjacent inclusive ranges.</summary>
public sealed class RangeSet : IEquatable<RangeSet>
{
    public static readonly RangeSet Empty = new(ImmutableArray<ValueRange>.Empty);

    private RangeSet(ImmutableArray<ValueRange> ranges) => Ranges = ranges;

    public ImmutableArray<ValueRange> Ranges { get; }

    public bool IsEmpty => Ranges.IsEmpty;

    /// <summary>How many values the set holds, saturating at <see cref="ulong.MaxValue"/> rather than wrapping round.</summary>
    public ulong Count
    {
        get
        {
            ulong count = 0;
            foreach (var range in Ranges)
            {
                count = range.Count > ulong.MaxValue - count ? ulong.MaxValue : count + range.Count;
            }

            return count;
        }
    }

    public static RangeSet Of(IEnumerable<ValueRange> ranges)
    {
        var sorted = ranges.OrderBy(r => r.Begin).ThenBy(r => r.End).ToList();
        var merged = ImmutableArray.CreateBuilder<ValueRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (range.End < range.Begin)
            {
                throw new ArgumentException($"range {range.Begin}-{range.End} ends before it begins");
            }

            if (merged.Count > 0 && (range.Begin <= merged[^1].End || range.Begin == merged[^1].End + 1))
            {
                var last = merged[^1];
                merged[^1] = last with { End = Math.Max(last.End, range.End) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return new RangeSet(merged.ToImmutable());
    }

    // Union, Difference and Contains sweep both sorted, disjoint range arrays once: offers carry port ranges,
    // so these run on every offer the fold applies.
    public RangeSet Union(RangeSet other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var a = Ranges;
        var b = other.Ranges;
        var merged = ImmutableArray.CreateBuilder<ValueRange>(a.Length + b.Length);
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var next = j == b.Length || (i < a.Length && a[i].Begin <= b[j].Begin) ? a[i++] : b[j++];
            if (merged.Count > 0 && Touches(merged[^1], next))
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, next.End) };
            }
            else
            {
                merged.Add(next);
            }
        }

        return new RangeSet(merged.ToImmutable());
    }

    public RangeSet Difference(RangeSet other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        var cuts = other.Ranges;
        var result = ImmutableArray.CreateBuilder<ValueRange>(Ranges.Length + cuts.Length);
        var j = 0;
        foreach (var range in Ranges)
        {
            var begin = range.Begin;
            var remains = true;

            // Cuts that end before this range can never matter again: ranges are sorted.
            while (j < cuts.Length && cuts[j].End < begin)
            {
                j++;
            }

            for (var k = j; k < cuts.Length && cuts[k].Begin <= range.End; k++)
            {
                if (cuts[k].Begin > begin)
                {
                    result.Add(new ValueRange(begin, cuts[k].Begin - 1));
                }

                if (cuts[k].End >= range.End)
                {
                    remains = false;
                    break;
                }

                begin = Math.Max(begin, cuts[k].End + 1);
            }

            if (remains)
            {
                result.Add(new ValueRange(begin, range.End));
            }
        }

        return new RangeSet(result.ToImmutable());
    }

    public bool Contains(RangeSet other)
    {
        var have = Ranges;
        var i = 0;
        foreach (var needed in other.Ranges)
        {
            while (i < have.Length && have[i].End < needed.Begin)
            {
                i++;
            }

            if (i == have.Length || have[i].Begin > needed.Begin || have[i].End < needed.End)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="next"/> (which begins no earlier) overlaps or directly follows <paramref name="last"/>.</summary>
    private static bool Touches(ValueRange last, ValueRange next) =>
        next.Begin <= last.End || (last.End != ulong.MaxValue && next.Begin == last.End + 1);

    /// <summary>Parses Mesos' range syntax: <c>[31000-32000,40000-40010]</c>; a bare <c>[80]</c> is a single value.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out RangeSet? ranges, [NotNullWhen(false)] out string? error)
    {
        ranges = null;
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '[' || trimmed[^1] != ']')
        {
            error = $"ranges must look like [begin-end,...], got '{text}'";
            return false;
        }

        var body = trimmed[1..^1].Trim();
        var parsed = new List<ValueRange>();
        if (body.Length > 0)
        {
            foreach (var part in body.Split(','))
            {
                var bounds = part.Split('-');
                if (bounds.Length is < 1 or > 2
                    || !ulong.TryParse(bounds[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var begin))
                {
                    error = $"'{part.Trim()}' in '{text}' is not a range like 31000-32000";
                    return false;
                }

                var end = begin;
                if (bounds.Length == 2 && !ulong.TryParse(bounds[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out end))
                {
                    error = $"'{part.Trim()}' in '{text}' is not a range like 31000-32000";
                    return false;
                }

                if (end < begin)
                {
                    error = $"range '{part.Trim()}' in '{text}' ends before it begins";
                    return false;
                }

                parsed.Add(new ValueRange(begin, end));
            }
        }

        ranges = Of(parsed);
        error = null;
        return true;
    }

    public bool Equals(RangeSet? other) => other is not null && Ranges.SequenceEqual(other.Ranges);

    public override bool Equals(object? obj) => Equals(obj as RangeSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var range in Ranges)
        {
            hash.Add(range);
        }

        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < Ranges.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(Ranges[i].Begin).Append('-').Append(Ranges[i].End);
        }

        return builder.Append(']').ToString();
    }
}
