using System.Reflection;
using System.Text;
using System.Text.Json;
using Mesos.Core.Agents;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Master.Configuration;
using Mesos.Master.Loop;
using Mesos.Master.ReadModels;
using Mesos.Projections.Engine;
using Mesos.Projections.History;
using Mesos.Projections.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Mesos.Master.Api.Http;

/// <summary>
/// The web UI's JSON API (<c>/ui/api/...</c>), served from the read models, never from the writer's state; every
/// read takes <c>at=P</c> (a log position) or <c>time=T</c> to show the cluster as it was, and
/// <c>min_position=P</c> to wait until the read models reflect a write. Also the UI's static files and its live
/// channel (Server-Sent Events, one <c>position</c> event after each commit).
/// </summary>
public static class UiEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly HttpClient AgentHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(10) };

    private static readonly string[] AgentPaths = ["state", "files/browse", "files/read"];

    private static readonly TimeSpan MinPositionPatience = TimeSpan.FromSeconds(10);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/{file}", StaticFile);
        app.MapGet("/ui/api/overview", Overview);
        app.MapGet("/ui/api/agents", Agents);
        app.MapGet("/ui/api/agents/{id}", Agent);
        app.MapGet("/ui/api/agents/{id}/proxy/{**path}", AgentProxy);
        app.MapGet("/ui/api/frameworks", Frameworks);
        app.MapGet("/ui/api/frameworks/{id}", Framework);
        app.MapGet("/ui/api/roles", Roles);
        app.MapGet("/ui/api/tasks", Tasks);
        app.MapGet("/ui/api/tasks/{frameworkId}/{taskId}", (HttpRequest r, ClusterAsOf asOf, Projections.ReadModels m, string frameworkId, string taskId, CancellationToken ct) => Task(r, asOf, m, frameworkId, taskId, ct));
        app.MapGet("/ui/api/tasks/{taskId}", (HttpRequest r, ClusterAsOf asOf, Projections.ReadModels m, string taskId, CancellationToken ct) => Task(r, asOf, m, null, taskId, ct));
        app.MapGet("/ui/api/history", History);
        app.MapGet("/ui/api/diff", Diff);
        app.MapGet("/ui/api/position", Position);
        app.MapGet("/ui/api/projections", (Projections.ReadModels m) => Results.Json(m.Engine.Statuses(), Json));
        app.MapGet("/ui/api/stream", StreamAsync);
    }

    private static IResult Bad(string error) => Results.Json(new { error }, Json, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>Parses <c>at</c> / <c>time</c> and waits for <c>min_position</c>; an error result when they are malformed.</summary>
    private static async Task<(ClusterView? View, IResult? Error)> ViewAsync(UiQuery query, ClusterAsOf asOf, Projections.ReadModels models, CancellationToken ct)
    {
        var at = query.Position("at");
        var time = query.Time("time");
        var min = query.Position("min_position");
        if (query.Error is { } error)
        {
            return (null, Bad(error));
        }

        if (min is { } wanted)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
            patience.CancelAfter(MinPositionPatience);
            try
            {
                await models.Engine.AtLeastAsync(wanted, patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return (null, Results.Json(new { error = $"min_position: the read models are at {models.Engine.Position}, not yet {wanted}" }, Json, statusCode: StatusCodes.Status503ServiceUnavailable));
            }
        }

        if (at is null && time is { } t)
        {
            at = models.History.PositionAt(t);
        }

        return (await asOf.AtAsync(at, ct).ConfigureAwait(false), null);
    }

    private static async Task<IResult> Overview(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, ClusterStateHolder holder, ProjectionFeeder feeder, MasterOptions options, CancellationToken ct)
    {
        var (view, error) = await ViewAsync(new UiQuery(request), asOf, models, ct).ConfigureAwait(false);
        if (view is null)
        {
            return error!;
        }

        var samples = models.Totals.Samples;
        return Results.Json(new
        {
            position = view.Position,
            live = view.Live,
            at = view.At,
            head = holder.Current.Position,
            cluster = options.Cluster,
            master = view.Master is { } m ? new { m.Id, m.Hostname, m.Ip, m.Port, m.Version } : null,
            version = MasterEndpoints.Version,
            totals = view.Totals,
            agents = view.Agents.Count,
            frameworks = view.Frameworks.Count(f => f.State != "REMOVED"),
            active_tasks = view.Tasks.Count(t => t.Active),
            samples = samples.Where(s => s.Position <= view.Position).TakeLast(300),
            projections = models.Engine.Statuses(),
            lag_events = feeder.LagEvents,
            lag_seconds = feeder.LagSeconds,
        }, Json);
    }

    private static async Task<IResult> Agents(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, CancellationToken ct)
    {
        var query = new UiQuery(request);
        var offset = query.Count("offset", 0, int.MaxValue);
        var limit = query.Count("limit", 50, 1000);
        var filter = query.Text("filter");
        var state = query.Text("state");
        var (view, error) = await ViewAsync(query, asOf, models, ct).ConfigureAwait(false);
        if (view is null)
        {
            return error!;
        }

        return Results.Json(AgentsPage(view, offset, limit, filter, state), Json);
    }

    /// <summary>A page of the agents table, filtered on the server (public for the benchmark that times it).</summary>
    public static object AgentsPage(ClusterView view, int offset, int limit, string? filter, string? state)
    {
        IEnumerable<AgentView> rows = view.Agents;
        if (state is not null)
        {
            rows = rows.Where(a => string.Equals(a.State, state, StringComparison.OrdinalIgnoreCase));
        }

        if (filter is not null)
        {
            rows = rows.Where(a => a.Matches(filter));
        }

        var matching = state is null && filter is null ? view.Agents.Count : -1;
        var page = new List<AgentView>(limit);
        var count = 0;
        foreach (var agent in rows)
        {
            if (count >= offset && page.Count < limit)
            {
                page.Add(agent);
            }

            count++;
            if (matching >= 0 && page.Count == limit)
            {
                // Unfiltered: the total is known without walking the rest.
                count = matching;
                break;
            }
        }

        return new { position = view.Position, live = view.Live, total = count, offset, limit, agents = page };
    }

    private static async Task<IResult> Agent(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, string id, CancellationToken ct)
    {
        var (view, error) = await ViewAsync(new UiQuery(request), asOf, models, ct).ConfigureAwait(false);
        if (view is null)
        {
            return error!;
        }

        var agent = view.Live
            ? models.Agents.Agents.GetValueOrDefault(new AgentId(id))
            : view.Agents.FirstOrDefault(a => a.Id == id);
        if (agent is null)
        {
            return Results.Json(new { error = $"no agent '{id}' as of position {view.Position}" }, Json, statusCode: StatusCodes.Status404NotFound);
        }

        var tasks = view.Tasks.Where(t => t.AgentId == id).ToList();
        return Results.Json(new
        {
            position = view.Position,
            live = view.Live,
            agent,
            offers = view.Offers.Where(o => o.AgentId == id),
            active_tasks = tasks.Where(t => t.Active),
            completed_tasks = tasks.Where(t => !t.Active).TakeLast(200),
            executors = tasks.Where(t => t.Active).Select(t => new { id = t.ExecutorId, framework_id = t.FrameworkId }).Distinct(),
        }, Json);
    }

    private static async Task<IResult> AgentProxy(HttpContext http, Projections.ReadModels models, string id, string path, CancellationToken ct)
    {
        if (!AgentPaths.Contains(path, StringComparer.Ordinal))
        {
            return Bad($"path: '{path}' is not one of {string.Join(", ", AgentPaths)}");
        }

        if (!models.Engine.State.Agents.TryGetValue(new AgentId(id), out var agent) || agent.Status == AgentStatus.Removed)
        {
            return Results.Json(new { error = $"no agent '{id}'" }, Json, statusCode: StatusCodes.Status404NotFound);
        }

        var url = $"http://{agent.Info.Hostname}:{agent.Info.Port}/{path}{http.Request.QueryString}";
        try
        {
            using var response = await AgentHttp.GetAsync(url, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return Results.Text(body, response.Content.Headers.ContentType?.MediaType ?? "application/json", Encoding.UTF8, (int)response.StatusCode);
        }
        catch (HttpRequestException ex)
        {
            return Results.Json(new { error = $"agent {id} at {agent.Info.Hostname}:{agent.Info.Port} did not answer: {ex.Message}" }, Json, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<IResult> Frameworks(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, CancellationToken ct)
    {
        var (view, error) = await ViewAsync(new UiQuery(request), asOf, models, ct).ConfigureAwait(false);
        return view is null ? error! : Results.Json(new { position = view.Position, live = view.Live, frameworks = view.Frameworks, roles = view.Roles }, Json);
    }

    private static async Task<IResult> Framework(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, string id, CancellationToken ct)
    {
        var (view, error) = await ViewAsync(new UiQuery(request), asOf, models, ct).ConfigureAwait(false);
        if (view is null)
        {
            return error!;
        }

        var framework = view.Frameworks.FirstOrDefault(f => f.Id == id);
        if (framework is null)
        {
            return Results.Json(new { error = $"no framework '{id}' as of position {view.Position}" }, Json, statusCode: StatusCodes.Status404NotFound);
        }

        var tasks = view.Tasks.Where(t => t.FrameworkId == id).ToList();
        return Results.Json(new
        {
            position = view.Position,
            live = view.Live,
            framework,
            roles = view.Roles.Where(r => framework.Roles.Contains(r.Name)),
            offers = view.Offers.Where(o => o.FrameworkId == id),
            active_tasks = tasks.Where(t => t.Active),
            completed_tasks = tasks.Where(t => !t.Active).TakeLast(200),
            explain_url = "/master/allocator/explain?framework_id=" + Uri.EscapeDataString(id),
        }, Json);
    }

    private static async Task<IResult> Roles(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, CancellationToken ct)
    {
        var (view, error) = await ViewAsync(new UiQuery(request), asOf, models, ct).ConfigureAwait(false);
        return view is null ? error! : Results.Json(new { position = view.Position, live = view.Live, roles = view.Roles }, Json);
    }

    private static async Task<IResult> Tasks(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, CancellationToken ct)
    {
        var query = new UiQuery(request);
        var offset = query.Count("offset", 0, int.MaxValue);
        var limit = query.Count("limit", 50, 1000);
        var filter = query.Text("filter");
        var state = query.Text("state");
        var framework = query.Text("framework");
        var agent = query.Text("agent");
        var (view, error) = await ViewAsync(query, asOf, models, ct).ConfigureAwait(false);
        if (view is null)
        {
            return error!;
        }

        IEnumerable<TaskView> rows = view.Tasks;
        rows = state switch
        {
            null => rows,
            "active" => rows.Where(t => t.Active),
            "completed" => rows.Where(t => !t.Active),
            _ => rows.Where(t => string.Equals(t.State, state, StringComparison.OrdinalIgnoreCase)),
        };
        if (framework is not null)
        {
            rows = rows.Where(t => t.FrameworkId == framework);
        }

        if (agent is not null)
        {
            rows = rows.Where(t => t.AgentId == agent);
        }

        if (filter is not null)
        {
            rows = rows.Where(t => t.Matches(filter));
        }

        // Newest launches first: what an operator looks for is usually what just happened.
        var all = rows.OrderByDescending(t => t.LaunchedAt).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();
        return Results.Json(new
        {
            position = view.Position,
            live = view.Live,
            total = all.Count,
            offset,
            limit,
            tasks = all.Skip(offset).Take(limit).Select(t => t with { Statuses = [] }),
        }, Json);
    }

    private static async Task<IResult> Task(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, string? frameworkId, string taskId, CancellationToken ct)
    {
        var (view, error) = await ViewAsync(new UiQuery(request), asOf, models, ct).ConfigureAwait(false);
        if (view is null)
        {
            return error!;
        }

        var task = view.Live && frameworkId is not null
            ? models.Tasks.Tasks.GetValueOrDefault(new TaskKey(new FrameworkId(frameworkId), new TaskId(taskId)))
            : view.Tasks.Where(t => t.Id == taskId && (frameworkId is null || t.FrameworkId == frameworkId)).MaxBy(t => t.LaunchedAt);
        if (task is null)
        {
            return Results.Json(new { error = $"no task '{taskId}' as of position {view.Position}" }, Json, statusCode: StatusCodes.Status404NotFound);
        }

        // The story: the offer that carried it (made, accepted), its launch, every update and acknowledgement.
        var positions = models.History.PositionsOf("task:" + task.Key)
            .Concat(task.OfferId is { } offer ? models.History.PositionsOf("offer:" + offer) : [])
            .Where(p => p <= view.Position)
            .Distinct()
            .Order();
        return Results.Json(new
        {
            position = view.Position,
            live = view.Live,
            task,
            agent = view.Agents.FirstOrDefault(a => a.Id == task.AgentId),
            framework = view.Frameworks.FirstOrDefault(f => f.Id == task.FrameworkId),
            story = positions.Select(models.History.At).OfType<HistoryEntry>(),
        }, Json);
    }

    private static IResult History(HttpRequest request, Projections.ReadModels models)
    {
        var query = new UiQuery(request);
        var before = query.Position("before");
        var limit = query.Count("limit", 100, 1000);
        if (query.Error is { } error)
        {
            return Bad(error);
        }

        var page = models.History.Query(new HistoryQuery(query.Text("agent"), query.Text("framework"), query.Text("task"), query.Text("type"), before, limit));
        return Results.Json(new
        {
            position = models.History.Position,
            entries = page,
            next_before = page.Count == limit ? page[^1].Position : (long?)null,
            types = Core.Events.EventCatalogue.Entries.Select(e => e.Name).Distinct(),
        }, Json);
    }

    private static IResult Position(HttpRequest request, Projections.ReadModels models)
    {
        var query = new UiQuery(request);
        var time = query.Time("time");
        if (query.Error is { } error)
        {
            return Bad(error);
        }

        var position = time is { } t ? models.History.PositionAt(t) : models.Engine.Position;
        return Results.Json(new { position, at = models.History.At(position)?.At, live = models.Engine.Position }, Json);
    }

    private static async Task<IResult> Diff(HttpRequest request, ClusterAsOf asOf, Projections.ReadModels models, CancellationToken ct)
    {
        var query = new UiQuery(request);
        var from = query.Position("from");
        var to = query.Position("to") ?? models.Engine.Position;
        if (query.Error is { } error)
        {
            return Bad(error);
        }

        if (from is null)
        {
            return Bad("from: required (a log position)");
        }

        if (from > to)
        {
            return Bad($"from: {from} is after to: {to}");
        }

        var before = await asOf.StateAtAsync(from.Value, ct).ConfigureAwait(false);
        var after = await asOf.StateAtAsync(to, ct).ConfigureAwait(false);
        return Results.Json(StateDiff(before, after, from.Value, to), Json);
    }

    private static object StateDiff(ClusterState a, ClusterState b, long from, long to)
    {
        static bool Present(ClusterState s, AgentId id) => s.Agents.TryGetValue(id, out var x) && x.Status != AgentStatus.Removed;
        static bool Running(ClusterState s, TaskKey key) => s.Tasks.TryGetValue(key, out var t) && !t.IsTerminal;
        var agentIds = a.Agents.Keys.Union(b.Agents.Keys).ToList();
        var taskKeys = a.Tasks.Keys.Union(b.Tasks.Keys).ToList();
        return new
        {
            from,
            to,
            agents_added = agentIds.Where(id => !Present(a, id) && Present(b, id)).Select(id => AgentView.From(b.Agents[id])),
            agents_removed = agentIds.Where(id => Present(a, id) && !Present(b, id)).Select(id => id.Value),
            agents_changed_state = agentIds.Where(id => a.Agents.TryGetValue(id, out var x) && b.Agents.TryGetValue(id, out var y) && x.Status != y.Status)
                .Select(id => new { id = id.Value, from = a.Agents[id].Status.ToString().ToUpperInvariant(), to = b.Agents[id].Status.ToString().ToUpperInvariant() }),
            frameworks_added = b.Frameworks.Keys.Where(id => !a.Frameworks.ContainsKey(id)).Select(id => new { id = id.Value, name = b.Frameworks[id].Info.Name }),
            frameworks_removed = a.Frameworks.Keys.Where(id => !b.Frameworks.ContainsKey(id)).Select(id => new { id = id.Value, name = a.Frameworks[id].Info.Name }),
            tasks_started = taskKeys.Where(k => !a.Tasks.ContainsKey(k) && b.Tasks.ContainsKey(k)).Select(k => new { id = k.TaskId.Value, framework_id = k.FrameworkId.Value, state = TaskStates.Name(b.Tasks[k].State) }),
            tasks_ended = taskKeys.Where(k => Running(a, k) && !Running(b, k)).Select(k => new
            {
                id = k.TaskId.Value,
                framework_id = k.FrameworkId.Value,
                state = StateLookup.FindTask(b, k).Task is { } t ? TaskStates.Name(t.State) : "UNKNOWN",
            }),
            used_before = Projections.Totals.TotalsProjection.FromState(a).Used,
            used_after = Projections.Totals.TotalsProjection.FromState(b).Used,
        };
    }

    private static async Task StreamAsync(HttpContext http, Projections.ReadModels models, IHostApplicationLifetime lifetime)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var seen = -1L;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var position = models.Engine.Position;
                if (position != seen)
                {
                    await http.Response.WriteAsync($"event: position\ndata: {{\"position\":{position}}}\n\n", Encoding.UTF8, ct).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    seen = position;
                }

                try
                {
                    await models.Engine.NextAsync(seen, ct).WaitAsync(TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                }

                // Bursts of commits become one update: the pages re-read what they show at most this often.
                await System.Threading.Tasks.Task.Delay(150, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static IResult StaticFile(string file)
    {
        var type = Path.GetExtension(file) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".html" => "text/html; charset=utf-8",
            _ => null,
        };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("Mesos.Master.WebUi." + file);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
