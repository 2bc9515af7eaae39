using Mesos.Core.Resources;

namespace Mesos.Core.Allocation.Cycle;

/// <summary>
/// Numbers the scalar resource names of one cycle, so that shares, limits and headroom are sums over small
/// arrays of thousandths instead of resource-set arithmetic. Names outside the index have no total and no quota,
/// so they cannot change a share or a limit and are skipped.
/// </summary>
public sealed class ResourceIndex
{
    private readonly Dictionary<string, int> numbers = new(StringComparer.Ordinal);
    private readonly List<string> names = [];

    public int Count => numbers.Count;

    public void Include(ResourceSet resources)
    {
        foreach (var resource in resources.Entries)
        {
            if (resource.Kind == ResourceKind.Scalar)
            {
                if (numbers.TryAdd(resource.Name, numbers.Count))
                {
                    names.Add(resource.Name);
                }
            }
        }
    }

    public bool TryGet(string name, out int index) => numbers.TryGetValue(name, out index);

    public long[] Vector(ResourceSet resources)
    {
        var vector = new long[Count];
        AddTo(vector, resources, 1, unreservedOnly: false);
        return vector;
    }

    public void AddTo(long[] vector, ResourceSet resources, int sign, bool unreservedOnly)
    {
        foreach (var resource in resources.Entries)
        {
            if (resource.Kind == ResourceKind.Scalar && (!unreservedOnly || !resource.IsReserved)
                && numbers.TryGetValue(resource.Name, out var i))
            {
                vector[i] += sign * resource.Scalar.Thousandths;
            }
        }
    }

    /// <summary>The quantities at <paramref name="indices"/> of <paramref name="vector"/>, as unreserved scalars.</summary>
    public ResourceSet ToResources(long[] vector, IReadOnlyList<int> indices) =>
        ResourceSet.Of(indices.Select(i => Resource.OfScalar(names[i], new ScalarValue(Math.Max(0, vector[i])))));

    public static void Add(long[] into, long[] amount, int sign)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] += sign * amount[i];
        }
    }
}
