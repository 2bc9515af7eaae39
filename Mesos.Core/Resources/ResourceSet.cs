using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mesos.Core.Resources;

/// <summary>
/// An immutable bag of resources with at most one entry per (name, role, kind), sorted so that
/// equal bags print, compare and hash identically. Arithmetic never goes negative.
/// </summary>
public sealed class ResourceSet : IEquatable<ResourceSet>
{
    public static readonly ResourceSet Empty = new(ImmutableArray<Resource>.Empty);

    private ResourceSet(ImmutableArray<Resource> entries) => Entries = entries;

    public ImmutableArray<Resource> Entries { get; }

    public bool IsEmpty => Entries.IsEmpty;

    public static ResourceSet Of(params IEnumerable<Resource> resources)
    {
        var merged = new List<Resource>();
        foreach (var resource in resources)
        {
            var index = merged.FindIndex(r => r.IsSameSlot(resource));
            if (index >= 0)
            {
                merged[index] = merged[index].Plus(resource);
            }
            else
            {
                merged.Add(resource);
            }
        }

        return new ResourceSet(Normalize(merged));
    }

    private static ImmutableArray<Resource> Normalize(IEnumerable<Resource> resources) =>
        resources
            .Where(r => !r.IsEmpty)
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Role, StringComparer.Ordinal)
            .ThenBy(r => r.Kind)
            .ThenBy(r => r.Reservations, Comparer<ImmutableArray<ResourceReservation>>.Create(Resource.CompareStacks))
            .ThenBy(r => r.Volume, Comparer<DiskVolume?>.Create(DiskVolume.Compare))
            .ToImmutableArray();

    // Add, Subtract and Contains walk both sorted entry arrays once (a merge join): they run on every offer,
    // launch and status update the fold applies, so they must not sort or search.
    public ResourceSet Add(ResourceSet other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var mine = Entries;
        var theirs = other.Entries;
        var result = ImmutableArray.CreateBuilder<Resource>(mine.Length + theirs.Length);
        int i = 0, j = 0;
        while (i < mine.Length || j < theirs.Length)
        {
            var order = i == mine.Length ? 1 : j == theirs.Length ? -1 : CompareSlots(mine[i], theirs[j]);
            if (order < 0)
            {
                result.Add(mine[i++]);
            }
            else if (order > 0)
            {
                result.Add(theirs[j++]);
            }
            else
            {
                result.Add(mine[i++].Plus(theirs[j++]));
            }
        }

        return new ResourceSet(result.ToImmutable());
    }

    /// <summary>Removes what <paramref name="other"/> holds; anything it holds beyond this set is ignored, never owed.</summary>
    public ResourceSet Subtract(ResourceSet other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        var mine = Entries;
        var theirs = other.Entries;
        var result = ImmutableArray.CreateBuilder<Resource>(mine.Length);
        var changed = false;
        var j = 0;
        foreach (var entry in mine)
        {
            while (j < theirs.Length && CompareSlots(theirs[j], entry) < 0)
            {
                j++;
            }

            var remaining = entry;
            if (j < theirs.Length && CompareSlots(theirs[j], entry) == 0)
            {
                remaining = entry.Minus(theirs[j]);
                changed = true;
            }

            if (!remaining.IsEmpty)
            {
                result.Add(remaining);
            }
        }

        return changed ? new ResourceSet(result.ToImmutable()) : this;
    }

    /// <summary>Whether every resource of <paramref name="other"/> is here, slot by slot (role included).</summary>
    public bool Contains(ResourceSet other)
    {
        var mine = Entries;
        var i = 0;
        foreach (var needed in other.Entries)
        {
            while (i < mine.Length && CompareSlots(mine[i], needed) < 0)
            {
                i++;
            }

            if (i == mine.Length || CompareSlots(mine[i], needed) != 0 || !mine[i].Covers(needed))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The order <see cref="Entries"/> are kept in: name, then role, then kind, ordinally, then the reservation stack.</summary>
    private static int CompareSlots(Resource a, Resource b)
    {
        var byName = string.CompareOrdinal(a.Name, b.Name);
        if (byName != 0)
        {
            return byName;
        }

        var byRole = string.CompareOrdinal(a.Role, b.Role);
        if (byRole != 0)
        {
            return byRole;
        }

        var byKind = a.Kind.CompareTo(b.Kind);
        var byStack = byKind != 0 ? byKind : Resource.CompareStacks(a.Reservations, b.Reservations);
        return byStack != 0 || (a.Volume is null && b.Volume is null) ? byStack : DiskVolume.Compare(a.Volume, b.Volume);
    }

    public static ResourceSet operator +(ResourceSet a, ResourceSet b) => a.Add(b);

    public static ResourceSet operator -(ResourceSet a, ResourceSet b) => a.Subtract(b);

    /// <summary>The total of a scalar resource across roles (0 when absent).</summary>
    public ScalarValue Scalar(string name)
    {
        var total = ScalarValue.Zero;
        foreach (var resource in Entries)
        {
            if (resource.Kind == ResourceKind.Scalar && resource.Name == name)
            {
                total += resource.Scalar;
            }
        }

        return total;
    }

    public ResourceSet Unreserved() => Filter(r => !r.IsReserved);

    public ResourceSet ReservedFor(string role) => Filter(r => r.Role == role);

    /// <summary>
    /// What a framework in <paramref name="role"/> may be offered: unreserved resources, the role's own reservations
    /// and those of its ancestors (<c>eng</c>'s reservations may go to <c>eng/web</c>), as Mesos' <c>isAllocatableTo</c>.
    /// </summary>
    public ResourceSet AllocatableTo(string role)
    {
        // Most agents reserve nothing: then everything is allocatable, and the allocator asks this per role and agent.
        foreach (var resource in Entries)
        {
            if (resource.IsReserved)
            {
                return Filter(r => !r.IsReserved || r.Role == role || Roles.IsStrictSubroleOf(role, r.Role));
            }
        }

        return this;
    }

    /// <summary>The same resources with every reservation dropped, for comparing quantities across roles.</summary>
    public ResourceSet WithoutRoles() => Of(Entries.Select(r => r.Kind switch
    {
        ResourceKind.Scalar => Resource.OfScalar(r.Name, r.Scalar),
        ResourceKind.Ranges => Resource.OfRanges(r.Name, r.Ranges),
        _ => Resource.OfSet(r.Name, r.Items),
    }));

    public ResourceSet Filter(Func<Resource, bool> predicate) => new(Entries.Where(predicate).ToImmutableArray());

    /// <summary>
    /// Parses the agent's <c>--resources</c> syntax: <c>cpus:2;mem:1024;ports:[31000-32000];bugs(debug):{a,b}</c>.
    /// Values starting with <c>[</c> are ranges, with <c>{</c> sets, anything else a non-negative scalar, rounded to
    /// thousandths. Blanks around the parts are ignored, entries for the same name and role are added up, and a name
    /// may not be given as two different kinds. An error names the part that is wrong.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ResourceSet? resources, [NotNullWhen(false)] out string? error)
    {
        resources = null;
        var parsed = new List<Resource>();
        foreach (var rawPart in SplitTopLevel(text, ';'))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            if (!TryParseOne(part, out var resource, out error))
            {
                error = $"{error} (in '{text}')";
                return false;
            }

            var clash = parsed.FirstOrDefault(r => r.Name == resource.Name && r.Kind != resource.Kind);
            if (clash is not null)
            {
                error = $"resource '{resource.Name}' is given both as {Describe(clash.Kind)} and as {Describe(resource.Kind)} (in '{text}')";
                return false;
            }

            parsed.Add(resource);
        }

        resources = Of(parsed);
        error = null;
        return true;
    }

    public static ResourceSet Parse(string text) =>
        TryParse(text, out var resources, out var error) ? resources : throw new FormatException("Invalid resources: " + error);

    private static bool TryParseOne(string part, [NotNullWhen(true)] out Resource? resource, [NotNullWhen(false)] out string? error)
    {
        resource = null;
        // A persistent volume's brackets (disk(eng)[id:path:rw]:64) hold colons of their own.
        var colon = part.IndexOf(':', StringComparison.Ordinal);
        var open = part.IndexOf('[', StringComparison.Ordinal);
        if (open >= 0 && colon > open && part.IndexOf(']', open) is var end and > 0)
        {
            colon = part.IndexOf(':', end);
        }

        if (colon < 0)
        {
            error = $"'{part}' is not name:value";
            return false;
        }

        var head = part[..colon].Trim();
        var value = part[(colon + 1)..].Trim();
        if (head.Length == 0)
        {
            error = $"'{part}' has no resource name before ':'";
            return false;
        }

        DiskVolume? volume = null;
        if (head.EndsWith(']') && head.IndexOf('[', StringComparison.Ordinal) is var volumeStart and > 0)
        {
            if (!DiskVolume.TryParse(head[(volumeStart + 1)..^1], out volume, out error))
            {
                error = $"resource '{head}': {error}";
                return false;
            }

            head = head[..volumeStart];
        }

        if (!TryParseHead(head, out var name, out var reservations, out error))
        {
            return false;
        }

        if (value.Length == 0)
        {
            error = $"resource '{head}' has no value";
            return false;
        }

        switch (value[0])
        {
            case '[':
                if (!RangeSet.TryParse(value, out var ranges, out var rangeError))
                {
                    error = $"resource '{head}': {rangeError}";
                    return false;
                }

                resource = Resource.OfRanges(name, ranges).WithReservations(reservations);
                break;
            case '{':
                if (!ItemSet.TryParse(value, out var items, out var setError))
                {
                    error = $"resource '{head}': {setError}";
                    return false;
                }

                resource = Resource.OfSet(name, items).WithReservations(reservations);
                break;
            default:
                if (!ScalarValue.TryParse(value, out var scalar, out var scalarError))
                {
                    error = $"resource '{head}': {scalarError}; a value is a number, ranges [a-b,...] or a set {{a,b,...}}";
                    return false;
                }

                if (double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) < 0)
                {
                    error = $"resource '{head}' has a negative value '{value}'";
                    return false;
                }

                resource = Resource.OfScalar(name, scalar).WithReservations(reservations).WithVolume(volume);
                break;
        }

        error = null;
        return true;
    }

    /// <summary>Splits <c>name</c>, <c>name(role)</c> or <c>name(reservation stack)</c> (see <see cref="ReservationText"/>).</summary>
    private static bool TryParseHead(string head, out string name, out ImmutableArray<ResourceReservation> reservations, [NotNullWhen(false)] out string? error)
    {
        name = head;
        reservations = ImmutableArray<ResourceReservation>.Empty;
        var open = head.IndexOf('(', StringComparison.Ordinal);
        var close = head.IndexOf(')', StringComparison.Ordinal);
        if (open >= 0 || close >= 0)
        {
            if (close < 0)
            {
                error = $"'{head}' has an unclosed '(': write name(role)";
                return false;
            }

            if (open < 0 || close < open || head.Count(c => c == '(') > 1 || head.Count(c => c == ')') > 1)
            {
                error = $"'{head}' has unmatched parentheses: write name(role)";
                return false;
            }

            if (close != head.Length - 1)
            {
                error = $"'{head}' has text after the role: write name(role)";
                return false;
            }

            name = head[..open].Trim();
            var role = head[(open + 1)..close].Trim();
            if (!ReservationText.TryParse(role, out reservations, out var roleError))
            {
                error = $"'{head}': {roleError}";
                return false;
            }
        }

        if (name.Length == 0)
        {
            error = $"'{head}' has no resource name before the role";
            return false;
        }

        if (!IsValidName(name))
        {
            error = $"'{name}' is not a valid resource name (use letters, digits and _-./)";
            return false;
        }

        error = null;
        return true;
    }

    private static string Describe(ResourceKind kind) => kind switch
    {
        ResourceKind.Scalar => "a scalar",
        ResourceKind.Ranges => "ranges",
        _ => "a set",
    };

    private static bool IsValidName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/');

    private static IEnumerable<string> SplitTopLevel(string text, char separator)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '[' or '{' or '(':
                    depth++;
                    break;
                case ']' or '}' or ')':
                    depth--;
                    break;
                default:
                    if (text[i] == separator && depth == 0)
                    {
                        yield return text[start..i];
                        start = i + 1;
                    }

                    break;
            }
        }

        yield return text[start..];
    }

    public bool Equals(ResourceSet? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => Equals(obj as ResourceSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var entry in Entries)
        {
            hash.Add(entry);
        }

        return hash.ToHashCode();
    }

    /// <summary>The canonical <c>--resources</c> form; <see cref="Parse"/> reads it back to an equal set.</summary>
    public override string ToString() => string.Join(";", Entries.Select(r => r.ToString()));
}
