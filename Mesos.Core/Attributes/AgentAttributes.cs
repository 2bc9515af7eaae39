using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Mesos.Core.Resources;

namespace Mesos.Core.Attributes;

/// <summary>The agent's attributes in the order given, as Mesos keeps them; names are unique.</summary>
public sealed class AgentAttributes : IEquatable<AgentAttributes>
{
    public static readonly AgentAttributes Empty = new(ImmutableArray<AgentAttribute>.Empty);

    private static readonly char[] Separators = [';', '\n'];

    private AgentAttributes(ImmutableArray<AgentAttribute> items) => Items = items;

    public ImmutableArray<AgentAttribute> Items { get; }

    public static AgentAttributes Of(IEnumerable<AgentAttribute> items) => new(items.ToImmutableArray());

    /// <summary>
    /// Parses <c>--attributes</c>: <c>rack:r1;zone:west;level:10;keys:[1000-1500]</c>, separated by <c>;</c> or new
    /// lines as in Mesos. A value that parses as a finite number is a scalar (rounded to thousandths), <c>[..]</c>
    /// ranges, <c>{..}</c> a set, anything else text. A name given twice and a missing name or value are errors.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out AgentAttributes? attributes, [NotNullWhen(false)] out string? error)
    {
        attributes = null;
        var items = new List<AgentAttribute>();
        foreach (var raw in text.Split(Separators))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                error = $"attribute '{part}' is not name:value (in '{text}')";
                return false;
            }

            var name = part[..colon].Trim();
            var value = part[(colon + 1)..].Trim();
            if (name.Length == 0)
            {
                error = $"attribute '{part}' has no name before ':' (in '{text}')";
                return false;
            }

            if (value.Length == 0)
            {
                error = $"attribute '{name}' has no value (in '{text}')";
                return false;
            }

            if (items.Any(a => a.Name == name))
            {
                error = $"attribute '{name}' is given twice (in '{text}')";
                return false;
            }

            if (value.StartsWith('['))
            {
                if (!RangeSet.TryParse(value, out var ranges, out var rangeError))
                {
                    error = $"attribute '{name}': {rangeError}";
                    return false;
                }

                items.Add(AgentAttribute.OfRanges(name, ranges));
            }
            else if (value.StartsWith('{'))
            {
                if (!ItemSet.TryParse(value, out var set, out var setError))
                {
                    error = $"attribute '{name}': {setError}";
                    return false;
                }

                items.Add(AgentAttribute.OfSet(name, set));
            }
            else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsNaN(number)
                     && !(double.IsInfinity(number) && !value.Any(char.IsAsciiDigit)))
            {
                if (!ScalarValue.TryParse(value, out var scalar, out var scalarError))
                {
                    error = $"attribute '{name}': {scalarError}";
                    return false;
                }

                items.Add(AgentAttribute.OfScalar(name, scalar));
            }
            else
            {
                items.Add(AgentAttribute.OfText(name, value));
            }
        }

        attributes = Of(items);
        error = null;
        return true;
    }

    public static AgentAttributes Parse(string text) =>
        TryParse(text, out var attributes, out var error) ? attributes : throw new FormatException("Invalid attributes: " + error);

    public bool Equals(AgentAttributes? other) => other is not null && Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => Equals(obj as AgentAttributes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(";", Items.Select(a => a.ToString()));
}
