namespace Mesos.Hosting.Files;

/// <summary>
/// Mesos' file reads (<c>src/files/files.cpp</c>): from an offset, at most <see cref="MaxReadLength"/> bytes, the file's
/// size with them. An offset at or past the end, or a length of 0, gives the size and no data; that is how the web
/// UI's pager learns the size.
/// </summary>
public static class FileContents
{
    /// <summary>Mesos caps a read at 16 memory pages; a client asks again from where it got to.</summary>
    public static int MaxReadLength => Environment.SystemPageSize * 16;

    public static (long Size, byte[] Data) Read(string realPath, long offset, long? length)
    {
        // Tasks keep writing their output, so share the file rather than lock it.
        using var stream = new FileStream(realPath, FileMode.Open, System.IO.FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = stream.Length;
        if (offset >= size || length == 0)
        {
            return (size, []);
        }

        var count = (int)Math.Min(Math.Min(length ?? long.MaxValue, MaxReadLength), size - offset);
        var buffer = new byte[count];
        stream.Seek(offset, SeekOrigin.Begin);
        var read = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return (size, read == count ? buffer : buffer[..read]);
    }

    /// <summary>A directory's entries sorted by name, or the one entry of a file; entries that vanish while listed are skipped.</summary>
    public static IReadOnlyList<FileEntry> List(PathAccess access)
    {
        var real = access.RealPath!;
        if (!Directory.Exists(real))
        {
            return FileStat.Describe(real, access.DisplayPath) is { } single ? [single] : [];
        }

        var entries = new List<FileEntry>();
        foreach (var name in Directory.EnumerateFileSystemEntries(real).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (FileStat.Describe(Path.Combine(real, name!), access.DisplayPath.TrimEnd('/') + "/" + name) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }
}
