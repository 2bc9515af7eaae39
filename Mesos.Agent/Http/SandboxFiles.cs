using System.Runtime.InteropServices;
using Mesos.Agent.Executor;

namespace Mesos.Agent.Http;

/// <summary>
/// Decides which paths the <c>/files</c> endpoints may serve: only what really lies under the work dir's
/// sandboxes. Paths are given as Mesos shows them (the absolute <c>directory</c> of an executor in /state, plus
/// a file name) or relative to the work dir. The check is made on the fully resolved path, so a symlink in a
/// sandbox cannot lead out of it.
/// </summary>
public sealed partial class SandboxFiles
{
    private readonly string _workDir;
    private readonly string _root;

    public SandboxFiles(string workDir)
    {
        _workDir = Path.GetFullPath(workDir);
        _root = SandboxLayout.SandboxesRoot(_workDir);
    }

    public FileAccess Check(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return FileAccess.Refuse(400, string.Empty, "Expecting 'path' query parameter");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return FileAccess.Refuse(400, path, "The path contains a NUL character");
        }

        if (path.Split('/').Any(segment => segment == ".."))
        {
            return FileAccess.Refuse(403, path, $"The path '{path}' must not contain '..'");
        }

        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(_workDir, path));
        var display = full.Length > 1 ? full.TrimEnd('/') : full;
        if (!IsUnder(display, _root))
        {
            return FileAccess.Refuse(403, display, $"The path '{path}' is outside the agent's sandboxes ({_root})");
        }

        var real = RealPath(display);
        if (real is null)
        {
            return FileAccess.Refuse(404, display, $"No such file or directory: '{path}'");
        }

        var realRoot = RealPath(_root) ?? _root;
        return IsUnder(real, realRoot)
            ? FileAccess.Allow(real, display)
            : FileAccess.Refuse(403, display, $"The path '{path}' resolves to '{real}', outside the agent's sandboxes");
    }

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    /// <summary>libc realpath(3): every symlink on the way resolved; null when the path does not exist.</summary>
    private static string? RealPath(string path)
    {
        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(IntPtr pointer);
}
