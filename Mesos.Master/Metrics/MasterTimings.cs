
namespace Mesos.Master.Metrics;

/// <summary>Histograms the master's decorators fill: event-log appends (durable commit included).</summary>
public sealed class MasterTimings
{
    public LatencyHistogram Appends { get; } = new();
}
