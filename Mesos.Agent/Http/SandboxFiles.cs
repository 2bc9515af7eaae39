using Mesos.Agent.Executor;
using Mesos.Hosting.Files;

namespace Mesos.Agent.Http;

/// <summary>
/// Decides which paths the <c>/files</c> endpoints may serve: only what really lies under the work dir's
/// sandboxes. Paths are given as Mesos shows them (the absolute <c>directory</c> of an executor in /state, plus
/// a file name) or relative to the work dir. The check is made on the fully resolved path, so a symlink in a
/// sandbox cannot lead out of it.
/// </summary>
public sealed class SandboxFiles : IFileTree
{
    private readonly string _workDir;
    private readonly string _root;

    public SandboxFiles(string workDir)
    {
        _workDir = Path.GetFullPath(workDir);
        _root = SandboxLayout.SandboxesRoot(_workDir);
    }

    /// <summary>Mesos attaches each executor's sandbox by its real path; all of them lie under this root.</summary>
    public IReadOnlyDictionary<string, string> Attachments => new Dictionary<string, string>(StringComparer.Ordinal) { [_root] = _root };

    public PathAccess Resolve(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return PathAccess.Refuse(400, string.Empty, "Expecting 'path' query parameter");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return PathAccess.Refuse(400, path, "The path contains a NUL character");
        }

        if (path.Split('/').Any(segment => segment == ".."))
        {
            return PathAccess.Refuse(403, path, $"The path '{path}' must not contain '..'");
        }

        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(_workDir, path));
        var display = full.Length > 1 ? full.TrimEnd('/') : full;
        if (!RealPath.IsUnder(display, _root))
        {
            return PathAccess.Refuse(403, display, $"The path '{path}' is outside the agent's sandboxes ({_root})");
        }

        var real = RealPath.Of(display);
        if (real is null)
        {
            return PathAccess.Refuse(404, display, $"No such file or directory: '{path}'");
        }

        var realRoot = RealPath.Of(_root) ?? _root;
        return RealPath.IsUnder(real, realRoot)
            ? PathAccess.Allow(real, display)
            : PathAccess.Refuse(403, display, $"The path '{path}' resolves to '{real}', outside the agent's sandboxes");
    }
}
