namespace Mesos.Master.Metrics;

/// <summary>
/// One part of the master's metrics (the master's own counters, the allocator's, the event log's...). Each adds
/// its figures under Mesos' key names (<c>master/tasks_running</c>, <c>allocator/mesos/...</c>); the
/// <see cref="MetricsCollector"/> merges every registered source so that <c>/metrics/snapshot</c>,
/// <c>GET_METRICS</c> and <c>/metrics</c> (Prometheus) serve the same figures.
/// </summary>
public interface IMetricsSource
{
    void Collect(IDictionary<string, double> into);
}
