namespace Mesos.Core.Resources;

/// <summary>
/// A persistent volume on a disk resource (Mesos' Resource.DiskInfo with <c>persistence</c> and <c>volume</c>): the
/// disk keeps its data across tasks under <c>volumes/roles/&lt;role&gt;/&lt;persistence id&gt;</c> on the agent, and a
/// task given it sees it at <see cref="ContainerPath"/> in its sandbox.
/// </summary>
public sealed record DiskVolume(string PersistenceId, string? Principal, string ContainerPath, VolumeMode Mode)
{
    public static int Compare(DiskVolume? a, DiskVolume? b)
    {
        if (a is null || b is null)
        {
            return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        }

        var c = string.CompareOrdinal(a.PersistenceId, b.PersistenceId);
        c = c != 0 ? c : string.CompareOrdinal(a.Principal, b.Principal);
        c = c != 0 ? c : string.CompareOrdinal(a.ContainerPath, b.ContainerPath);
        return c != 0 ? c : a.Mode.CompareTo(b.Mode);
    }

    /// <summary>
    /// The text between the brackets of <c>disk(eng)[...]:64</c>, as Mesos prints a DiskInfo (<c>id:path:rw</c>), with
    /// the principal, when there is one, after a fourth ':'. Syntax characters are written as <c>%XX</c>.
    /// </summary>
    public string Format()
    {
        var text = $"{ReservationText.Escape(PersistenceId)}:{ReservationText.Escape(ContainerPath)}:{(Mode == VolumeMode.Ro ? "ro" : "rw")}";
        return Principal is null ? text : text + ":" + ReservationText.Escape(Principal);
    }

    public static bool TryParse(string text, out DiskVolume? volume, out string? error)
    {
        volume = null;
        var parts = text.Split(':');
        if (parts.Length is not (3 or 4))
        {
            error = $"'[{text}]' is not a persistent volume: write [id:container_path:rw]";
            return false;
        }

        var mode = parts[2] switch
        {
            "rw" => VolumeMode.Rw,
            "ro" => VolumeMode.Ro,
            _ => (VolumeMode)0,
        };
        if (mode == 0)
        {
            error = $"'[{text}]' has mode '{parts[2]}': write rw or ro";
            return false;
        }

        string? principal = null;
        if (!ReservationText.TryUnescape(parts[0], out var id, out error)
            || !ReservationText.TryUnescape(parts[1], out var path, out error)
            || (parts.Length == 4 && !ReservationText.TryUnescape(parts[3], out principal, out error)))
        {
            return false;
        }

        volume = new DiskVolume(id, principal, path, mode);
        error = null;
        return true;
    }
}
