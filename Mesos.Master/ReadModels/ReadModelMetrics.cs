using Mesos.Master.Metrics;

namespace Mesos.Master.ReadModels;

/// <summary>The read side's figures for <c>/metrics/snapshot</c> and <c>/metrics</c>.</summary>
public sealed class ReadModelMetrics(Projections.ReadModels models, ProjectionFeeder feeder, MasterTimings timers) : IMetricsSource
{
    public void Collect(IDictionary<string, double> into)
    {
        into["projections/position"] = models.Engine.Position;
        into["projections/lag_events"] = feeder.LagEvents;
        into["projections/lag_seconds"] = feeder.LagSeconds;
        into["projections/failed"] = models.Engine.Failures().Length;
        into["registrar/log/append_count"] = timers.Appends.Count;
        into["registrar/log/append_ms_last"] = timers.Appends.LastSeconds * 1000;
    }
}
