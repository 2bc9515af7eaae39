namespace Mesos.Master.Metrics;

/// <summary>A Prometheus-style histogram of durations in seconds: cumulative buckets, count and sum. Lock-free.</summary>
public sealed class LatencyHistogram
{
    public static readonly double[] Bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly long[] buckets = new long[Bounds.Length];
    private long count;
    private long sumMicroseconds;
    private long lastMicroseconds;

    public long Count => Interlocked.Read(ref count);

    public double SumSeconds => Interlocked.Read(ref sumMicroseconds) / 1e6;

    public double LastSeconds => Interlocked.Read(ref lastMicroseconds) / 1e6;

    public void Record(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        for (var i = 0; i < Bounds.Length; i++)
        {
            if (seconds <= Bounds[i])
            {
                Interlocked.Increment(ref buckets[i]);
            }
        }

        var micros = (long)(elapsed.Ticks / 10.0);
        Interlocked.Increment(ref count);
        Interlocked.Add(ref sumMicroseconds, micros);
        Interlocked.Exchange(ref lastMicroseconds, micros);
    }

    /// <summary>Cumulative counts per bound (the <c>le</c> buckets), in the order of <see cref="Bounds"/>.</summary>
    public long[] Buckets() => [.. buckets.Select((_, i) => Interlocked.Read(ref buckets[i]))];
}
