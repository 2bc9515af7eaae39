namespace Mesos.Master.Metrics;

/// <summary>Every registered <see cref="IMetricsSource"/>, merged in key order.</summary>
public sealed class MetricsCollector(IEnumerable<IMetricsSource> sources)
{
    public SortedDictionary<string, double> Snapshot()
    {
        var into = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            source.Collect(into);
        }

        return into;
    }
}
