using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace Mesos.Hosting.Files;

/// <summary>
/// Mesos' <c>/files/browse</c>, <c>/files/read</c>, <c>/files/download</c> and <c>/files/debug</c> (each also with
/// <c>.json</c>), over whichever tree the daemon serves. Parameters, status codes and messages follow
/// <c>src/files/files.cpp</c>; JSON answers take <c>?jsonp=</c>.
/// </summary>
public static class FilesHttpEndpoints
{
    private const string MissingPath = "Expecting 'path=value' in query.\n";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder routes, IFileTree files)
    {
        foreach (var suffix in new[] { string.Empty, ".json" })
        {
            routes.MapGet("/files/browse" + suffix, (HttpRequest request) => Browse(files, request));
            routes.MapGet("/files/read" + suffix, (HttpRequest request) => Read(files, request));
            routes.MapGet("/files/download" + suffix, (HttpRequest request) => Download(files, request));
            routes.MapGet("/files/debug" + suffix, (HttpRequest request) => Json(request, Debug(files)));
        }
    }

    /// <summary>Mesos' legacy JSON for one entry: mtime in seconds and the mode as <c>ls -l</c> shows it.</summary>
    public static JsonObject ToJson(FileEntry entry) => new()
    {
        ["path"] = entry.Path,
        ["nlink"] = entry.Nlink,
        ["size"] = entry.Size,
        ["mtime"] = entry.MtimeSeconds,
        ["mode"] = entry.ModeText,
        ["uid"] = entry.Uid,
        ["gid"] = entry.Gid,
    };

    private static IResult Browse(IFileTree files, HttpRequest request)
    {
        var path = request.Query["path"].FirstOrDefault();
        if (string.IsNullOrEmpty(path))
        {
            return Results.BadRequest(MissingPath);
        }

        var access = files.Resolve(path);
        return access.Allowed
            ? Json(request, new JsonArray(FileContents.List(access).Select(e => (JsonNode?)ToJson(e)).ToArray()))
            : Refuse(access);
    }

    private static IResult Read(IFileTree files, HttpRequest request)
    {
        var path = request.Query["path"].FirstOrDefault();
        if (string.IsNullOrEmpty(path))
        {
            return Results.BadRequest(MissingPath);
        }

        long offset = -1;
        if (request.Query.TryGetValue("offset", out var offsetText))
        {
            if (!long.TryParse(offsetText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offset))
            {
                return Text(400, $"Failed to parse offset: Failed to convert '{offsetText}' to number.\n");
            }

            if (offset < -1)
            {
                return Text(400, string.Create(CultureInfo.InvariantCulture, $"Negative offset provided: {offset}.\n"));
            }
        }

        long? length = null;
        if (request.Query.TryGetValue("length", out var lengthText))
        {
            if (!long.TryParse(lengthText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return Text(400, $"Failed to parse length: Failed to convert '{lengthText}' to number.\n");
            }

            if (parsed < -1)
            {
                return Text(400, string.Create(CultureInfo.InvariantCulture, $"Negative length provided: {parsed}.\n"));
            }

            // The web UI's pager sends length=-1 at first; it means no limit, as no length does.
            length = parsed == -1 ? null : parsed;
        }

        var access = files.Resolve(path);
        if (!access.Allowed)
        {
            return Refuse(access);
        }

        if (Directory.Exists(access.RealPath))
        {
            return Text(400, "Cannot read a directory.\n");
        }

        // offset=-1 (or none) asks for the size only: the pager's first request.
        var (size, data) = offset == -1 ? FileContents.Read(access.RealPath!, 0, 0) : FileContents.Read(access.RealPath!, offset, length);
        return Json(request, new JsonObject
        {
            ["data"] = Encoding.UTF8.GetString(data),
            ["offset"] = offset == -1 ? size : offset,
        });
    }

    private static IResult Download(IFileTree files, HttpRequest request)
    {
        var path = request.Query["path"].FirstOrDefault();
        if (string.IsNullOrEmpty(path))
        {
            return Results.BadRequest(MissingPath);
        }

        var access = files.Resolve(path);
        if (!access.Allowed)
        {
            return Refuse(access);
        }

        if (Directory.Exists(access.RealPath))
        {
            return Text(400, "Cannot download a directory.\n");
        }

        var name = Path.GetFileName(access.RealPath!);
        var contentType = ContentTypes.TryGetContentType(name, out var known) ? known : "application/octet-stream";
        // A file being written (a log, a task's stdout) is served as it stands when opened: its length then is what
        // is sent, chunked, since a length announced up front could be outgrown while it is copied.
        var realPath = access.RealPath!;
        return Results.Stream(
            async body =>
            {
                await using var file = new FileStream(realPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var remaining = file.Length;
                var buffer = new byte[64 * 1024];
                int read;
                while (remaining > 0 && (read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining))).ConfigureAwait(false)) > 0)
                {
                    await body.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                    remaining -= read;
                }
            },
            contentType,
            name);
    }

    private static JsonObject Debug(IFileTree files)
    {
        var json = new JsonObject();
        foreach (var (virtualPath, realPath) in files.Attachments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            json[virtualPath] = realPath;
        }

        return json;
    }

    private static IResult Refuse(PathAccess access) => Text(access.StatusCode, access.Error ?? string.Empty);

    private static IResult Text(int status, string message) => Results.Text(message, "text/plain; charset=utf-8", Encoding.UTF8, status);

    /// <summary>JSON, or with <c>?jsonp=name</c> the JSON wrapped in a call to it, as Mesos answers.</summary>
    private static IResult Json(HttpRequest request, JsonNode node)
    {
        var json = node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return request.Query["jsonp"].FirstOrDefault() is { Length: > 0 } callback
            ? Results.Text($"{callback}({json});", "text/javascript", Encoding.UTF8)
            : Results.Text(json, "application/json", Encoding.UTF8);
    }
}
