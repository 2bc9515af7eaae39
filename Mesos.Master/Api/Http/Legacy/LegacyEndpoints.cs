using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Master.Configuration;
using Mesos.Master.Loop;
using Mesos.Master.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Mesos.Master.Api.Http.SchedulerEventJson;

namespace Mesos.Master.Api.Http.Legacy;

/// <summary>
/// Mesos' legacy read endpoints. The master's libprocess id is <c>master</c>, so each is served both under
/// <c>/master/</c> and at the root; all answer from the published snapshot, and all take <c>?jsonp=</c>.
/// </summary>
public static partial class LegacyEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var path in new[] { "/master/state", "/state", "/master/state.json", "/state.json" })
        {
            app.MapGet(path, State);
        }

        foreach (var prefix in new[] { "/master", string.Empty })
        {
            app.MapGet(prefix + "/frameworks", Frameworks);
            app.MapGet(prefix + "/slaves", Slaves);
            app.MapGet(prefix + "/tasks", Tasks);
            app.MapGet(prefix + "/roles", Roles);
            app.MapGet(prefix + "/state-summary", StateSummary);
            MapOperatorEndpoints(app, prefix);
        }

        app.MapGet("/metrics/snapshot", Metrics);
        MaintenanceEndpoints.Map(app);
    }

    private static Task State(HttpContext http)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<MasterOptions>();
        var snapshot = services.GetRequiredService<ClusterStateHolder>().Current;
        return WriteAsync(http, json => LegacyJson.WriteState(json, snapshot, services.GetRequiredService<MasterRuntime>(), options.Cluster, options.Flags));
    }

    private static Task StateSummary(HttpContext http)
    {
        var cluster = http.RequestServices.GetRequiredService<MasterOptions>().Cluster;
        var state = Current(http);
        return WriteAsync(http, json => LegacyJson.WriteStateSummary(json, state, cluster));
    }

    private static Task Frameworks(HttpContext http)
    {
        var state = Current(http);
        var only = http.Request.Query["framework_id"].FirstOrDefault();
        return WriteAsync(http, json =>
        {
            json.WriteStartObject();
            LegacyJson.WriteFrameworks(json, state, only);
            json.WriteStartArray("unregistered_frameworks");
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static Task Slaves(HttpContext http)
    {
        var state = Current(http);
        var only = http.Request.Query["slave_id"].FirstOrDefault();
        return WriteAsync(http, json =>
        {
            json.WriteStartObject();
            LegacyJson.WriteSlaves(json, state, only, full: true);
            json.WriteStartArray("recovered_slaves");
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary><c>?framework_id=&amp;task_id=&amp;limit=100&amp;offset=0&amp;order=desc</c>, ordered by launch time as Mesos orders them.</summary>
    private static async Task Tasks(HttpContext http)
    {
        var query = http.Request.Query;
        if (!TryInt(query["limit"].FirstOrDefault(), 100, out var limit) || !TryInt(query["offset"].FirstOrDefault(), 0, out var offset))
        {
            await BadRequestAsync(http, "Failed to parse query parameters 'limit' or 'offset': expecting a non-negative integer").ConfigureAwait(false);
            return;
        }

        var order = query["order"].FirstOrDefault() ?? "desc";
        if (order is not ("asc" or "desc"))
        {
            await BadRequestAsync(http, $"Invalid order '{order}': expecting 'asc' or 'desc'").ConfigureAwait(false);
            return;
        }

        var frameworkId = query["framework_id"].FirstOrDefault();
        var taskId = query["task_id"].FirstOrDefault();
        var state = Current(http);
        var tasks = state.Tasks.Values
            .Concat(state.Frameworks.Values.Concat(state.CompletedFrameworks).SelectMany(f => f.CompletedTasks))
            .Where(t => frameworkId is null || t.Key.FrameworkId.Value == frameworkId)
            .Where(t => taskId is null || t.Key.TaskId.Value == taskId);
        var ordered = order == "asc" ? tasks.OrderBy(StartedAt) : tasks.OrderByDescending(StartedAt);
        var page = ordered.Skip(offset).Take(limit).ToList();
        await WriteAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("tasks");
            foreach (var task in page)
            {
                LegacyJson.WriteTask(json, task);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static DateTimeOffset StartedAt(TaskRecord task) => task.Statuses.Count > 0 ? task.Statuses[0].Timestamp : task.LaunchedAt;

    private static Task Roles(HttpContext http)
    {
        var state = Current(http);
        return WriteAsync(http, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("roles");
            var names = new SortedSet<string>(state.Frameworks.Values.SelectMany(f => f.Info.Roles), StringComparer.Ordinal);
            names.UnionWith(state.Roles.Keys);
            foreach (var name in names)
            {
                var settings = state.RoleOf(name);
                var allocated = state.Tasks.Values.Where(t => t.Role == name && !t.ResourcesReleased)
                    .Aggregate(ResourceSet.Empty, (sum, t) => sum + t.Info.Resources);
                var offered = state.Offers.Values.Where(o => o.Role == name).Aggregate(ResourceSet.Empty, (sum, o) => sum + o.Resources);
                json.WriteStartObject();
                json.WriteString("name", name);
                WriteDouble(json, "weight", settings.Weight);
                json.WriteStartArray("frameworks");
                foreach (var framework in state.Frameworks.Values.Where(f => f.Info.Roles.Items.Contains(name)))
                {
                    json.WriteStringValue(framework.Id.Value);
                }

                json.WriteEndArray();
                LegacyJson.WriteSummary(json, "resources", allocated);
                LegacyJson.WriteSummary(json, "allocated", allocated);
                LegacyJson.WriteSummary(json, "offered", offered);
                LegacyJson.WriteSummary(json, "reserved", ResourceSet.Empty);
                json.WriteStartObject("quota");
                json.WriteString("role", name);
                LegacyJson.WriteSummary(json, "guarantee", settings.Guarantees);
                LegacyJson.WriteSummary(json, "limit", settings.Limits);
                LegacyJson.WriteSummary(json, "consumed", allocated);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>Every registered metrics source, flat: <c>{"master/uptime_secs": 12.3, ...}</c>.</summary>
    private static Task Metrics(HttpContext http)
    {
        var metrics = http.RequestServices.GetRequiredService<MetricsCollector>().Snapshot();
        return WriteAsync(http, json => WriteMetrics(json, metrics));
    }

    public static void WriteMetrics(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        json.WriteStartObject();
        foreach (var (name, value) in metrics)
        {
            WriteDouble(json, name, value);
        }

        json.WriteEndObject();
    }

    private static ClusterState Current(HttpContext http) => http.RequestServices.GetRequiredService<ClusterStateHolder>().Current.State;

    private static bool TryInt(string? text, int fallback, out int value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    internal static async Task BadRequestAsync(HttpContext http, string message)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message, http.RequestAborted).ConfigureAwait(false);
    }

    public static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(json);
        }

        return AsciiOnly(buffer.WrittenSpan);
    }

    /// <summary>JSON, or with <c>?jsonp=callback</c> the JSON wrapped in a call to it (a JavaScript identifier only).</summary>
    internal static async Task WriteAsync(HttpContext http, Action<Utf8JsonWriter> write)
    {
        var jsonp = http.Request.Query["jsonp"].FirstOrDefault();
        if (jsonp is not null && !Callback().IsMatch(jsonp))
        {
            await BadRequestAsync(http, "Invalid 'jsonp' callback: expecting a JavaScript identifier").ConfigureAwait(false);
            return;
        }

        var body = Render(write);
        http.Response.StatusCode = StatusCodes.Status200OK;
        if (jsonp is null)
        {
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        http.Response.ContentType = "text/javascript";
        await http.Response.WriteAsync(jsonp + "(", http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
        await http.Response.WriteAsync(");", http.RequestAborted).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$.]*$")]
    private static partial Regex Callback();
}
