using System.Reflection;
using Mediator;
using Mesos.Core.Resources;
using Mesos.Master.Application;
using Mesos.Master.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesos.Master.Api.Http;

/// <summary>
/// The HTTP/JSON endpoints of this scope: health, version, flags, a state summary for the web UI and
/// scripts, and the UI itself. Mesos' full v1 HTTP APIs come later on the same port.
/// </summary>
public static class MasterEndpoints
{
    public const string Version = "1.11.0";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Ok());
        app.MapGet("/master/health", () => Results.Ok());
        app.MapGet("/version", VersionInfo);
        app.MapGet("/master/version", VersionInfo);
        app.MapGet("/master/flags", (MasterOptions options) =>
            Results.Json(new { flags = options.Flags.Where(f => f.Value is not null).ToDictionary(f => f.Name, f => f.Value) }));
        app.MapGet("/master/redirect", (HttpContext http) =>
            Results.Redirect($"//{http.Request.Host}", permanent: false, preserveMethod: true));
        app.MapGet("/master/state", StateAsync);
        app.MapGet("/state", StateAsync);
        app.MapGet("/", () => Results.Content(WebUi(), "text/html; charset=utf-8"));
        SchedulerHttpEndpoints.Map(app);
        AllocatorEndpoints.Map(app);
    }

    private static IResult VersionInfo() => Results.Json(new
    {
        version = Version,
        build_date = string.Empty,
        build_time = 0,
        build_user = string.Empty,
        git_sha = string.Empty,
        git_branch = string.Empty,
        git_tag = string.Empty,
    });

    private static async Task<IResult> StateAsync(IMediator mediator, MasterOptions options, CancellationToken ct)
    {
        var snapshot = await mediator.Send(new GetSnapshot(), ct).ConfigureAwait(false);
        var state = snapshot.State;
        return Results.Json(new
        {
            version = Version,
            id = state.Master?.Id,
            hostname = state.Master?.Hostname,
            pid = state.Master is { } m ? $"master@{m.Ip}:{m.Port}" : null,
            cluster = options.Cluster,
            log_position = snapshot.Position,
            state_hash = snapshot.Hash,
            slaves = state.Agents.Values.Select(a => new
            {
                id = a.Id.Value,
                hostname = a.Info.Hostname,
                port = a.Info.Port,
                state = a.Status.ToString().ToUpperInvariant(),
                active = a.Status == Core.Agents.AgentStatus.Active,
                registered_time = Api.Grpc.ProtoMapping.Seconds(a.RegisteredAt),
                resources = Summary(a.Info.Resources),
                used_resources = Summary(a.Used),
                offered_resources = Summary(a.Offered),
                attributes = a.Info.Attributes.Items.ToDictionary(x => x.Name, x => x.ValueText),
            }),
            frameworks = state.Frameworks.Values.Select(f => new
            {
                id = f.Id.Value,
                name = f.Info.Name,
                user = f.Info.User,
                roles = f.Info.Roles,
                active = f.Status == Core.Frameworks.FrameworkStatus.Active,
                state = f.Status.ToString().ToUpperInvariant(),
                used_resources = Summary(f.Used),
                offered_resources = Summary(f.Offered),
                tasks = state.TasksOf(f.Id).Select(t => new
                {
                    id = t.Key.TaskId.Value,
                    name = t.Info.Name,
                    framework_id = t.Key.FrameworkId.Value,
                    slave_id = t.AgentId.Value,
                    state = Core.Decisions.ClusterDecider.Name(t.State),
                    resources = Summary(t.Info.Resources),
                }),
                completed_tasks = f.CompletedTasks.TakeLast(100).Select(t => new
                {
                    id = t.Key.TaskId.Value,
                    name = t.Info.Name,
                    framework_id = t.Key.FrameworkId.Value,
                    slave_id = t.AgentId.Value,
                    state = Core.Decisions.ClusterDecider.Name(t.State),
                    resources = Summary(t.Info.Resources),
                }),
            }),
            completed_frameworks = state.CompletedFrameworks.Select(f => new { id = f.Id.Value, name = f.Info.Name }),
        });
    }

    /// <summary>Mesos' legacy resource summary: cpus, gpus, mem and disk always present, ranges and sets as text.</summary>
    private static Dictionary<string, object> Summary(ResourceSet resources)
    {
        var summary = new Dictionary<string, object> { ["cpus"] = 0.0, ["gpus"] = 0.0, ["mem"] = 0.0, ["disk"] = 0.0 };
        foreach (var r in resources.Entries)
        {
            summary[r.Name] = r.Kind switch
            {
                ResourceKind.Scalar => (summary.TryGetValue(r.Name, out var v) && v is double d ? d : 0.0) + r.Scalar.ToDouble(),
                ResourceKind.Ranges => r.Ranges.ToString(),
                _ => r.Items.ToString(),
            };
        }

        return summary;
    }

    private static string WebUi()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Mesos.Master.WebUi.index.html")
            ?? throw new InvalidOperationException("web UI resource missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
