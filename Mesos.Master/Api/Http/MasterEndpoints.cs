using System.Reflection;
using Mesos.Master.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesos.Master.Api.Http;

/// <summary>
/// The master's HTTP port: health, version, flags, the web UI, Mesos' legacy JSON endpoints (Legacy/), the v1
/// scheduler API and the v1 operator API (Operator/).
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
        Legacy.LegacyEndpoints.Map(app);
        Legacy.VolumeEndpoints.Map(app);
        app.MapGet("/", () => Results.Content(WebUi(), "text/html; charset=utf-8"));
        SchedulerHttpEndpoints.Map(app);
        AllocatorEndpoints.Map(app);
        Operator.OperatorHttpEndpoints.Map(app);
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

    private static string WebUi()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Mesos.Master.WebUi.index.html")
            ?? throw new InvalidOperationException("web UI resource missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
