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

    public RangeSet Union(RangeSet other) => other.IsEmpty ? this : IsEmpty ? other : Of(Ranges.Concat(other.Ranges));

    public RangeSet Difference(RangeSet other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        var result = new List<ValueRange>();
        foreach (var range in Ranges)
        {
            var pieces = new List<ValueRange> { range };
            foreach (var cut in other.Ranges)
            {
                var next = new List<ValueRange>();
                foreach (var piece in pieces)
                {
                    if (cut.End < piece.Begin || cut.Begin > piece.End)
                    {
                        next.Add(piece);
                        continue;
                    }

                    if (cut.Begin > piece.Begin)
                    {
                        next.Add(new ValueRange(piece.Begin, cut.Begin - 1));
                    }

                    if (cut.End < piece.End)
                    {
                        next.Add(new ValueRange(cut.End + 1, piece.End));
                    }
                }

                pieces = next;
            }

            result.AddRange(pieces);
        }

        return Of(result);
    }

    public bool Contains(RangeSet other)
    {
        foreach (var needed in other.Ranges)
        {
            if (!Ranges.Any(have => have.Begin <= needed.Begin && needed.End <= have.End))
            {
                return false;
            }
        }

        return true;
    }

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
