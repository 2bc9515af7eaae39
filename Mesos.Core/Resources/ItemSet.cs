using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Mesos.Core.Resources;

/// <summary>A set of text items, as Mesos' <c>Value.Set</c> (<c>{a,b,c}</c>); kept sorted for a stable order.</summary>
public sealed class ItemSet : IEquatable<ItemSet>
{
    public static readonly ItemSet Empty = new(ImmutableArray<string>.Empty);

    /// <summary>Characters an item may not hold: they would break the <c>--resources</c> syntax it is embedded in.</summary>
    private static readonly SearchValues<char> ReservedCharacters = SearchValues.Create("{}[]();");

    private ItemSet(ImmutableArray<string> items) => Items = items;

    public ImmutableArray<string> Items { get; }

    public bool IsEmpty => Items.IsEmpty;

    public static ItemSet Of(IEnumerable<string> items) =>
        new(items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray());

    public ItemSet Union(ItemSet other) => other.IsEmpty ? this : Of(Items.Concat(other.Items));

    public ItemSet Difference(ItemSet other) =>
        other.IsEmpty ? this : Of(Items.Where(item => !other.Items.Contains(item, StringComparer.Ordinal)));

    public bool Contains(ItemSet other) => other.Items.All(item => Items.Contains(item, StringComparer.Ordinal));

    /// <summary>
    /// Parses <c>{a,b,c}</c>; blanks around items and empty items are dropped. An item may not hold any of
    /// <c>{}[]();</c>.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ItemSet? set, [NotNullWhen(false)] out string? error)
    {
        set = null;
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '{' || trimmed[^1] != '}')
        {
            error = $"a set must look like {{a,b,c}}, got '{text}'";
            return false;
        }

        var items = trimmed[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var bad = items.FirstOrDefault(item => item.AsSpan().IndexOfAny(ReservedCharacters) >= 0);
        if (bad is not null)
        {
            error = $"set item '{bad}' in '{text}' must not contain any of {{}}[]();";
            return false;
        }

        set = Of(items);
        error = null;
        return true;
    }

    public bool Equals(ItemSet? other) => other is not null && Items.SequenceEqual(other.Items, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ItemSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(",", Items) + "}";
}
