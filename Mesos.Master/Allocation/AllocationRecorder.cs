namespace Mesos.Master.Allocation;

/// <summary>
/// The master loop tells it about every allocation cycle it decides (also those that offer nothing, which the log
/// does not record): the latest cycle's input, kept in memory for explanations, and the cycle timings for the
/// <c>allocator/mesos/*</c> metrics.
/// </summary>
public sealed class AllocationRecorder
{
    /// <summary>Samples behind the percentiles; Mesos' timers keep a bounded window too.</summary>
    public const int Window = 1000;

    private readonly object gate = new();
    private readonly TimerStatistics runMs = new(Window);
    private readonly TimerStatistics latencyMs = new(Window);
    private AllocationCycleInput? last;
    private long runs;

    public AllocationCycleInput? Last => Volatile.Read(ref last);

    public long Runs => Interlocked.Read(ref runs);

    /// <param name="input">The cycle as decided.</param>
    /// <param name="run">How long deciding the cycle took.</param>
    /// <param name="latency">How long the cycle waited in the master's queue before it ran.</param>
    public void Record(AllocationCycleInput input, TimeSpan run, TimeSpan latency)
    {
        lock (gate)
        {
            runMs.Add(run.TotalMilliseconds);
            latencyMs.Add(latency.TotalMilliseconds);
        }

        Volatile.Write(ref last, input);
        Interlocked.Increment(ref runs);
    }

    public void CollectTimers(IDictionary<string, double> into)
    {
        lock (gate)
        {
            runMs.Collect("allocator/mesos/allocation_run_ms", into);
            latencyMs.Collect("allocator/mesos/allocation_run_latency_ms", into);
        }
    }
}
