using System.Globalization;
using System.Text;
using Mesos.Master.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesos.Master.Api.Http;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format (0.0.4): every figure of <see cref="MetricsCollector"/> (the same
/// as <c>/metrics/snapshot</c>) as a gauge named <c>mesos_</c> plus its key with every other character than
/// letters, digits and <c>_</c> turned into <c>_</c> (allocation cycle times among them:
/// <c>mesos_allocator_mesos_allocation_run_ms_*</c>), then the event-log append histogram and the read models'
/// positions.
/// </summary>
public static class PrometheusEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", (MetricsCollector collector, MasterTimings timings, Projections.ReadModels models) =>
            Results.Text(Render(collector, timings, models), ContentType));

    public static string Render(MetricsCollector collector, MasterTimings timings, Projections.ReadModels models)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in collector.Snapshot())
        {
            var name = Name(key);
            text.Append("# HELP ").Append(name).Append(" Mesos metric ").Append(key).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            text.Append(name).Append(' ').Append(Number(value)).Append('\n');
        }

        Histogram(text, "mesos_event_log_append_seconds", "Time to append a batch to the event log, durable commit included", timings.Appends);
        text.Append("# HELP mesos_projection_position Last log position each read model reflects\n# TYPE mesos_projection_position gauge\n");
        foreach (var status in models.Engine.Statuses())
        {
            text.Append("mesos_projection_position{projection=\"").Append(status.Name).Append("\",version=\"")
                .Append(status.Version.ToString(CultureInfo.InvariantCulture)).Append("\",failed=\"")
                .Append(status.Failure is null ? "false" : "true").Append("\"} ")
                .Append(status.Position.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Prometheus names match <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; Mesos keys have slashes and dots.</summary>
    public static string Name(string key)
    {
        var name = new StringBuilder("mesos_", key.Length + 6);
        foreach (var c in key)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return name.ToString();
    }

    private static void Histogram(StringBuilder text, string name, string help, LatencyHistogram histogram)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" histogram\n");
        var buckets = histogram.Buckets();
        for (var i = 0; i < buckets.Length; i++)
        {
            text.Append(name).Append("_bucket{le=\"").Append(Number(LatencyHistogram.Bounds[i])).Append("\"} ")
                .Append(buckets[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var count = histogram.Count.ToString(CultureInfo.InvariantCulture);
        text.Append(name).Append("_bucket{le=\"+Inf\"} ").Append(count).Append('\n');
        text.Append(name).Append("_sum ").Append(Number(histogram.SumSeconds)).Append('\n');
        text.Append(name).Append("_count ").Append(count).Append('\n');
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
}
