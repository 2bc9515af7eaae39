namespace Mesos.Agent.GarbageCollection;

/// <summary>Mesos' <c>fs::usage</c>: used blocks over all blocks of the file system (statvfs), reserved blocks counted as free.</summary>
public sealed class FileSystemDiskUsage : IDiskUsage
{
    public double Usage(string path)
    {
        var drive = new DriveInfo(Path.GetFullPath(path));
        return drive.TotalSize <= 0 ? 0.0 : (double)(drive.TotalSize - drive.TotalFreeSpace) / drive.TotalSize;
    }
}
