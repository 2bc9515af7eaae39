namespace Mesos.Master.Allocation;

/// <summary>
/// A Mesos timer metric: the last value under its own key, and over a window of recent samples
/// <c>/count</c>, <c>/min</c>, <c>/max</c> and percentiles <c>/p50</c> ... <c>/p9999</c>. Not thread-safe: its owner locks.
/// </summary>
public sealed class TimerStatistics(int window)
{
    private static readonly (string Name, double Fraction)[] Percentiles =
        [("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99), ("p999", 0.999), ("p9999", 0.9999)];

    private readonly Queue<double> samples = new(window);
    private double? last;

    public void Add(double value)
    {
        if (samples.Count == window)
        {
            samples.Dequeue();
        }

        samples.Enqueue(value);
        last = value;
    }

    public void Collect(string key, IDictionary<string, double> into)
    {
        if (last is not { } value)
        {
            return;
        }

        into[key] = value;
        var sorted = samples.Order().ToArray();
        into[key + "/count"] = sorted.Length;
        into[key + "/min"] = sorted[0];
        into[key + "/max"] = sorted[^1];
        foreach (var (name, fraction) in Percentiles)
        {
            into[key + "/" + name] = Percentile(sorted, fraction);
        }
    }

    /// <summary>Linear interpolation between closest ranks, as Mesos' <c>TimeSeries</c> statistics do.</summary>
    private static double Percentile(double[] sorted, double fraction)
    {
        var position = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
