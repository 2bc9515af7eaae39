using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Mesos.Core.Resources;

namespace Mesos.Core.Allocation;

/// <summary>
/// Mesos' <c>--min_allocatable_resources</c> (default <c>cpus:0.01|mem:32</c>): alternatives separated by '|', each
/// a set of scalar quantities separated by ';'. Something is worth offering when it holds every quantity of at
/// least one alternative.
/// </summary>
public sealed class MinimumAllocatable
{
    public const string DefaultText = "cpus:0.01|mem:32";

    public static readonly MinimumAllocatable Default = Parse(DefaultText);

    private readonly ImmutableArray<ImmutableArray<(string Name, long Thousandths)>> alternatives;

    private MinimumAllocatable(string text, ImmutableArray<ImmutableArray<(string Name, long Thousandths)>> alternatives)
    {
        Text = text;
        this.alternatives = alternatives;
    }

    /// <summary>The flag's value as given, for explanations.</summary>
    public string Text { get; }

    /// <summary>The resource names the alternatives mention.</summary>
    public IEnumerable<string> Names => alternatives.SelectMany(a => a.Select(q => q.Name)).Distinct(StringComparer.Ordinal);

    public static bool TryParse(string text, [NotNullWhen(true)] out MinimumAllocatable? minimum, [NotNullWhen(false)] out string? error)
    {
        minimum = null;
        var result = ImmutableArray.CreateBuilder<ImmutableArray<(string Name, long Thousandths)>>();
        foreach (var part in text.Split('|'))
        {
            if (string.IsNullOrWhiteSpace(part))
            {
                error = $"'{text}' has an empty alternative: write quantities like 'cpus:0.01|mem:32'";
                return false;
            }

            if (!ResourceSet.TryParse(part, out var resources, out var parseError))
            {
                error = parseError;
                return false;
            }

            var quantities = ImmutableArray.CreateBuilder<(string Name, long Thousandths)>();
            foreach (var resource in resources.Entries)
            {
                if (resource.Kind != ResourceKind.Scalar)
                {
                    error = $"'{resource}' in '{text}' is not a scalar; only scalar quantities can be a minimum";
                    return false;
                }

                if (resource.IsReserved)
                {
                    error = $"'{resource}' in '{text}' names a role; a minimum is a quantity, without roles";
                    return false;
                }

                quantities.Add((resource.Name, resource.Scalar.Thousandths));
            }

            if (quantities.Count == 0)
            {
                error = $"'{part.Trim()}' in '{text}' holds no positive quantity";
                return false;
            }

            result.Add(quantities.ToImmutable());
        }

        minimum = new MinimumAllocatable(text, result.ToImmutable());
        error = null;
        return true;
    }

    public static MinimumAllocatable Parse(string text) =>
        TryParse(text, out var minimum, out var error) ? minimum : throw new FormatException("Invalid min_allocatable_resources: " + error);

    /// <summary>Two minimums are the same when their text is: the state compares them as values.</summary>
    public override bool Equals(object? obj) => obj is MinimumAllocatable other && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public bool IsMet(ResourceSet resources)
    {
        foreach (var alternative in alternatives)
        {
            var met = true;
            foreach (var (name, thousandths) in alternative)
            {
                if (resources.Scalar(name).Thousandths < thousandths)
                {
                    met = false;
                    break;
                }
            }

            if (met)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The same test on quantities in thousandths, looked up by name (for the allocator's vectors).</summary>
    public bool IsMet<TState>(TState state, Func<TState, string, long> quantity)
    {
        foreach (var alternative in alternatives)
        {
            var met = true;
            foreach (var (name, thousandths) in alternative)
            {
                if (quantity(state, name) < thousandths)
                {
                    met = false;
                    break;
                }
            }

            if (met)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Text;
}
