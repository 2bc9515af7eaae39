namespace Mesos.Hosting.Files;

/// <summary>
/// Mesos' virtual file tree: real files and directories attached under virtual paths (the master's log as
/// <c>/master/log</c>). A request resolves by its longest attached prefix; below an attached directory it must
/// stay inside it once every symlink is resolved. Anything else is not found, as in Mesos.
/// </summary>
public sealed class AttachedFiles : IFileTree
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Attachments => _paths;

    /// <summary>Attaches <paramref name="realPath"/> (which may not exist yet, as a log file before its first line) as <paramref name="virtualPath"/>.</summary>
    public void Attach(string realPath, string virtualPath) =>
        _paths[virtualPath.TrimEnd('/')] = Path.GetFullPath(realPath);

    public PathAccess Resolve(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return PathAccess.Refuse(400, string.Empty, "Expecting 'path=value' in query.\n");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return PathAccess.Refuse(400, path, "The path contains a NUL character");
        }

        var display = path.Length > 1 ? path.TrimEnd('/') : path;
        var tokens = display.Split('/');
        for (var count = tokens.Length; count > 0; count--)
        {
            var prefix = string.Join('/', tokens[..count]);
            if (!_paths.TryGetValue(prefix, out var attached))
            {
                continue;
            }

            var suffix = string.Join('/', tokens[count..]);
            if (!Directory.Exists(attached))
            {
                // A file attached is served only as itself; a path below it is not found, as in Mesos.
                return suffix.Length == 0 && File.Exists(attached)
                    ? PathAccess.Allow(attached, display)
                    : NotFound(display);
            }

            var real = RealPath.Of(Path.Combine(attached, suffix));
            if (real is null)
            {
                return NotFound(display);
            }

            var root = RealPath.Of(attached) ?? attached;
            return RealPath.IsUnder(real, root)
                ? PathAccess.Allow(real, display)
                : PathAccess.Refuse(400, display, $"'{Path.Combine(attached, suffix)}' is inaccessible.\n");
        }

        return NotFound(display);
    }

    private static PathAccess NotFound(string display) => PathAccess.Refuse(404, display, string.Empty);
}
