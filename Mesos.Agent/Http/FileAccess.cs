namespace Mesos.Agent.Http;

/// <summary>
/// A checked request for a sandbox path: either the real path to serve (and the path to show for it), or the
/// HTTP status and message to refuse with.
/// </summary>
public sealed record FileAccess(string? RealPath, string DisplayPath, int StatusCode, string? Error)
{
    public bool Allowed => RealPath is not null;

    public static FileAccess Allow(string realPath, string displayPath) => new(realPath, displayPath, 200, null);

    public static FileAccess Refuse(int statusCode, string displayPath, string error) => new(null, displayPath, statusCode, error);
}
