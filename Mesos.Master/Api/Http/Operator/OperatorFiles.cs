using Mesos.Hosting.Files;
using Mesos.Protocol.Wire.Transcoding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Mesos.Master.Api.Http.JsonFields;
using Wire = Mesos.Protocol.Wire.Master;

namespace Mesos.Master.Api.Http.Operator;

/// <summary>
/// LIST_FILES and READ_FILE on the master: the files it serves under <c>/files</c> (<see cref="MasterFiles"/>), with
/// Mesos' FilesError statuses: a path that is not attached is 404, one that escapes its attachment 400.
/// </summary>
internal static class OperatorFiles
{
    public static Task ServeAsync(HttpContext http, OperatorCall call)
    {
        var files = http.RequestServices.GetRequiredService<IFileTree>();
        if (call.Type == "LIST_FILES")
        {
            var path = call.Read(p => String(p, "path", "list_files"))
                ?? throw HttpCallError.BadRequest("Failed to convert JSON into Call protobuf: Missing required fields: list_files.path");
            var access = Resolve(files, path);
            var list = new Wire.Response.Types.ListFiles();
            list.FileInfos.AddRange(FileContents.List(access).Select(e => e.ToWire()));
            return RespondAsync(http, "LIST_FILES", "list_files", list);
        }

        var (readPath, offset, length) = call.Read(p => (
            String(p, "path", "read_file") ?? throw new JsonConversionException("Missing required fields: read_file.path"),
            UInt64(p, "offset", "read_file") ?? throw new JsonConversionException("Missing required fields: read_file.offset"),
            UInt64(p, "length", "read_file")));
        var file = Resolve(files, readPath);
        if (Directory.Exists(file.RealPath))
        {
            throw HttpCallError.BadRequest("Cannot read a directory.\n");
        }

        var (size, data) = FileContents.Read(file.RealPath!, (long)Math.Min(offset, long.MaxValue), length is { } l ? (long)Math.Min(l, long.MaxValue) : null);
        return RespondAsync(http, "READ_FILE", "read_file", new Wire.Response.Types.ReadFile { Size = (ulong)size, Data = Google.Protobuf.ByteString.CopyFrom(data) });
    }

    private static PathAccess Resolve(IFileTree files, string path)
    {
        var access = path.Length == 0 ? PathAccess.Refuse(StatusCodes.Status404NotFound, path, string.Empty) : files.Resolve(path);
        return access.Allowed ? access : throw new HttpCallError(access.StatusCode, access.Error ?? string.Empty);
    }

    private static async Task RespondAsync(HttpContext http, string type, string field, Google.Protobuf.IMessage payload)
    {
        var responseType = OperatorHttpEndpoints.ResponseType(http);
        var json = OperatorHttpEndpoints.Render(type, field, writer => StoutJson.Write(writer, payload));
        var bytes = WireEncoding.Encode(responseType, Wire.Response.Descriptor, json);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = responseType;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }
}
