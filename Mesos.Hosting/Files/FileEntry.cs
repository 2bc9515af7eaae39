using System.Globalization;
using System.Text;

namespace Mesos.Hosting.Files;

/// <summary>
/// Mesos' FileInfo: one <c>stat(2)</c> of a file as <c>/files/browse</c> and LIST_FILES report it. <see cref="Mode"/>
/// is the whole <c>st_mode</c> (file type bits included), as Mesos sets it.
/// </summary>
public sealed record FileEntry(string Path, int Nlink, long Size, DateTimeOffset Mtime, uint Mode, string Uid, string Gid)
{
    private const uint TypeMask = 0xF000;
    private const uint Directory = 0x4000;
    private const uint SymbolicLink = 0xA000;

    public bool IsDirectory => (Mode & TypeMask) == Directory;

    /// <summary><c>ls -l</c>'s permission string ("drwxr-xr-x"), the <c>mode</c> of Mesos' legacy JSON.</summary>
    public string ModeText
    {
        get
        {
            var text = new StringBuilder(10);
            text.Append((Mode & TypeMask) switch
            {
                Directory => 'd',
                SymbolicLink => 'l',
                0x2000 => 'c',
                0x6000 => 'b',
                0x1000 => 'p',
                0xC000 => 's',
                _ => '-',
            });
            const string letters = "rwxrwxrwx";
            for (var bit = 0; bit < 9; bit++)
            {
                text.Append((Mode & (1u << (8 - bit))) != 0 ? letters[bit] : '-');
            }

            return text.ToString();
        }
    }

    /// <summary>Seconds since the epoch with the fraction, as Mesos' legacy JSON gives <c>mtime</c>.</summary>
    public double MtimeSeconds => (Mtime - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    public long MtimeNanoseconds => (Mtime - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>Mesos' FileInfo message, as LIST_FILES answers it.</summary>
    public Protocol.Wire.FileInfo ToWire() => new()
    {
        Path = Path,
        Nlink = Nlink,
        Size = (ulong)Math.Max(0, Size),
        Mtime = new Protocol.Wire.TimeInfo { Nanoseconds = MtimeNanoseconds },
        Mode = Mode,
        Uid = Uid,
        Gid = Gid,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ModeText} {Nlink} {Uid} {Gid} {Size} {Path}");
}
