using System.Collections.Frozen;
using System.Runtime.InteropServices;

namespace Mesos.Hosting.Files;

/// <summary>
/// <c>stat(2)</c> of a path, for the link count and the owner that .NET's file APIs do not give. The kernel's
/// <c>struct stat</c> differs between x86-64 and the generic layout of arm64; elsewhere the fields .NET knows are
/// used and the link count and owner are left as Mesos would show an unknown one.
/// </summary>
public static partial class FileStat
{
    private static readonly Lazy<FrozenDictionary<uint, string>> Users = new(() => Names("/etc/passwd"));
    private static readonly Lazy<FrozenDictionary<uint, string>> Groups = new(() => Names("/etc/group"));

    /// <summary>The entry for <paramref name="realPath"/>, shown as <paramref name="displayPath"/>; null when it is gone.</summary>
    public static FileEntry? Describe(string realPath, string displayPath)
    {
        if (Native(realPath) is { } native)
        {
            return native with { Path = displayPath };
        }

        FileSystemInfo info = Directory.Exists(realPath) ? new DirectoryInfo(realPath) : new FileInfo(realPath);
        if (!info.Exists)
        {
            return null;
        }

        var type = info is DirectoryInfo ? 0x4000u : 0x8000u;
        var permissions = OperatingSystem.IsWindows() ? 0u : (uint)info.UnixFileMode;
        return new FileEntry(displayPath, 1, info is FileInfo file ? file.Length : 4096, info.LastWriteTimeUtc, type | permissions, string.Empty, string.Empty);
    }

    private static FileEntry? Native(string path)
    {
        var layout = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (Nlink: 16, NlinkIs64: true, Mode: 24, Uid: 28, Gid: 32, Size: 48, Mtime: 88),
            Architecture.Arm64 => (Nlink: 20, NlinkIs64: false, Mode: 16, Uid: 24, Gid: 28, Size: 48, Mtime: 88),
            _ => default,
        };
        if (layout == default || !OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[256];
        try
        {
            if (NativeStat(path, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }

        var nlink = layout.NlinkIs64 ? (long)BitConverter.ToUInt64(buffer[layout.Nlink..]) : BitConverter.ToUInt32(buffer[layout.Nlink..]);
        var uid = BitConverter.ToUInt32(buffer[layout.Uid..]);
        var gid = BitConverter.ToUInt32(buffer[layout.Gid..]);
        var seconds = BitConverter.ToInt64(buffer[layout.Mtime..]);
        var nanoseconds = BitConverter.ToInt64(buffer[(layout.Mtime + 8)..]);
        return new FileEntry(
            path,
            (int)Math.Min(nlink, int.MaxValue),
            BitConverter.ToInt64(buffer[layout.Size..]),
            DateTimeOffset.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100)),
            BitConverter.ToUInt32(buffer[layout.Mode..]),
            Users.Value.GetValueOrDefault(uid) ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Groups.Value.GetValueOrDefault(gid) ?? gid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>id to name from an /etc/passwd-shaped file (name:x:id:...); Mesos shows the owner by name.</summary>
    private static FrozenDictionary<uint, string> Names(string file)
    {
        var names = new Dictionary<uint, string>();
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && uint.TryParse(fields[2], out var id))
                {
                    names.TryAdd(id, fields[0]);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return names.ToFrozenDictionary();
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeStat(string path, ref byte buffer);
}
