namespace Mesos.Hosting.Files;

/// <summary>
/// A checked request for a path under /files: either the real path to serve (and the path to show for it), or the
/// HTTP status and message to refuse with.
/// </summary>
public sealed record PathAccess(string? RealPath, string DisplayPath, int StatusCode, string? Error)
{
    public bool Allowed => RealPath is not null;

    public static PathAccess Allow(string realPath, string displayPath) => new(realPath, displayPath, 200, null);

    public static PathAccess Refuse(int statusCode, string displayPath, string error) => new(null, displayPath, statusCode, error);
}
