namespace Mesos.Agent.Recovery;

/// <summary>
/// The two ways a checkpoint reaches the disk: whole files are written aside, flushed to the device and renamed
/// over the old one (a crash leaves the old or the new file, never a torn one); logs are appended and flushed
/// before the caller acts on what it wrote.
/// </summary>
public static class CheckpointFiles
{
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static void AppendDurably(string path, ReadOnlySpan<byte> record)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        file.Write(record);
        file.Flush(flushToDisk: true);
    }
}
