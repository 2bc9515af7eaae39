
namespace Mesos.Master.Metrics;

/// <summary>Histograms the master's decorators fill: event-log appends and allocation cycles.</summary>
public sealed class MasterTimings
{
    public LatencyHistogram Appends { get; } = new();

    public LatencyHistogram AllocationCycles { get; } = new();
}
