namespace Mesos.Core.Allocation.Sorting;

/// <summary>Dominant Resource Fairness: the largest fraction of any resource the client holds, divided by its weight.</summary>
public sealed class DrfSorter : IRoleSorter
{
    public double Share(ReadOnlySpan<long> allocated, ReadOnlySpan<long> total, double weight)
    {
        var dominant = 0.0;
        for (var i = 0; i < allocated.Length; i++)
        {
            if (total[i] > 0 && allocated[i] > 0)
            {
                dominant = Math.Max(dominant, (double)allocated[i] / total[i]);
            }
        }

        return dominant / weight;
    }
}
