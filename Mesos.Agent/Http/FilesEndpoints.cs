using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesos.Agent.Http;

/// <summary>Mesos' <c>/files/browse</c>, <c>/files/read</c> and <c>/files/download</c>, limited to the sandboxes.</summary>
internal static class FilesEndpoints
{
    // Mesos pages reads; a client asks again from the returned offset for more.
    private const long MaxReadLength = 1024 * 1024;

    public static void Map(IEndpointRouteBuilder routes, SandboxFiles files)
    {
        foreach (var suffix in new[] { string.Empty, ".json" })
        {
            routes.MapGet("/files/browse" + suffix, (HttpRequest request) => Browse(files, request.Query["path"]));
            routes.MapGet("/files/read" + suffix, (HttpRequest request) =>
                Read(files, request.Query["path"], request.Query["offset"], request.Query["length"]));
        }

        routes.MapGet("/files/download", (HttpRequest request) => Download(files, request.Query["path"]));
    }

    private static IResult Browse(SandboxFiles files, string? path)
    {
        var access = files.Check(path);
        if (!access.Allowed)
        {
            return Refuse(access);
        }

        var entries = new JsonArray();
        if (Directory.Exists(access.RealPath))
        {
            foreach (var entry in new DirectoryInfo(access.RealPath!).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                entries.Add(Describe(entry, access.DisplayPath.TrimEnd('/') + "/" + entry.Name));
            }
        }
        else
        {
            entries.Add(Describe(new FileInfo(access.RealPath!), access.DisplayPath));
        }

        return Json(entries);
    }

    private static IResult Read(SandboxFiles files, string? path, string? offsetText, string? lengthText)
    {
        var access = files.Check(path);
        if (!access.Allowed)
        {
            return Refuse(access);
        }

        long offset = 0;
        if (!string.IsNullOrEmpty(offsetText)
            && (!long.TryParse(offsetText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offset) || offset < -1))
        {
            return Results.Text($"Failed to parse offset: '{offsetText}' is not a non-negative integer (or -1 for the file size)", statusCode: 400);
        }

        long length = -1;
        if (!string.IsNullOrEmpty(lengthText)
            && (!long.TryParse(lengthText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out length) || length < -1))
        {
            return Results.Text($"Failed to parse length: '{lengthText}' is not a non-negative integer", statusCode: 400);
        }

        if (Directory.Exists(access.RealPath))
        {
            return Results.Text($"Cannot read a directory: '{access.DisplayPath}'", statusCode: 400);
        }

        // Tasks keep writing their output, so share the file rather than lock it.
        using var stream = new FileStream(access.RealPath!, FileMode.Open, System.IO.FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = stream.Length;
        if (offset == -1)
        {
            return Json(new JsonObject { ["data"] = string.Empty, ["offset"] = size });
        }

        var available = Math.Max(0, size - offset);
        var count = (int)Math.Min(length < 0 ? MaxReadLength : Math.Min(length, MaxReadLength), available);
        var buffer = new byte[count];
        stream.Seek(Math.Min(offset, size), SeekOrigin.Begin);
        stream.ReadExactly(buffer);
        return Json(new JsonObject { ["data"] = Encoding.UTF8.GetString(buffer), ["offset"] = offset });
    }

    private static IResult Download(SandboxFiles files, string? path)
    {
        var access = files.Check(path);
        if (!access.Allowed)
        {
            return Refuse(access);
        }

        return Directory.Exists(access.RealPath)
            ? Results.Text($"Cannot download a directory: '{access.DisplayPath}'", statusCode: 400)
            : Results.File(access.RealPath!, "application/octet-stream", Path.GetFileName(access.DisplayPath));
    }

    private static JsonObject Describe(FileSystemInfo entry, string path)
    {
        var isDirectory = entry is DirectoryInfo || (entry.Attributes & FileAttributes.Directory) != 0;
        return new JsonObject
        {
            ["path"] = path,
            ["nlink"] = 1,
            ["size"] = entry is FileInfo file && file.Exists ? file.Length : 4096,
            ["mtime"] = entry.LastWriteTimeUtc.Subtract(DateTime.UnixEpoch).TotalSeconds,
            ["mode"] = Mode(entry, isDirectory),
        };
    }

    private static string Mode(FileSystemInfo entry, bool isDirectory)
    {
        var mode = OperatingSystem.IsWindows() ? UnixFileMode.None : entry.UnixFileMode;
        var builder = new StringBuilder(entry.LinkTarget is not null ? "l" : isDirectory ? "d" : "-");
        foreach (var (bit, letter) in new[]
                 {
                     (UnixFileMode.UserRead, 'r'), (UnixFileMode.UserWrite, 'w'), (UnixFileMode.UserExecute, 'x'),
                     (UnixFileMode.GroupRead, 'r'), (UnixFileMode.GroupWrite, 'w'), (UnixFileMode.GroupExecute, 'x'),
                     (UnixFileMode.OtherRead, 'r'), (UnixFileMode.OtherWrite, 'w'), (UnixFileMode.OtherExecute, 'x'),
                 })
        {
            builder.Append((mode & bit) != 0 ? letter : '-');
        }

        return builder.ToString();
    }

    private static IResult Refuse(FileAccess access) => Results.Text(access.Error, statusCode: access.StatusCode);

    internal static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json", Encoding.UTF8);
}
