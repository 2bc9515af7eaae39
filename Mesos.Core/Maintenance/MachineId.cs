using System.Globalization;
using System.Text;

namespace Mesos.Core.Maintenance;

/// <summary>
/// Mesos' MachineID: a machine named by its hostname, its IP, or both (empty when unset). Two ids are the same machine
/// when both fields match, the hostname without regard to case, as Mesos compares them (<c>type_utils.cpp</c>); an id
/// with only a hostname is not the machine of an agent that also has an IP.
/// </summary>
public readonly record struct MachineId(string Hostname, string Ip) : IComparable<MachineId>
{
    public bool Equals(MachineId other) =>
        string.Equals(Hostname, other.Hostname, StringComparison.OrdinalIgnoreCase) && string.Equals(Ip, other.Ip, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Hostname ?? string.Empty), Ip);

    public int CompareTo(MachineId other)
    {
        var byHost = string.Compare(Hostname, other.Hostname, StringComparison.OrdinalIgnoreCase);
        return byHost != 0 ? byHost : string.CompareOrdinal(Ip, other.Ip);
    }

    /// <summary>The protobuf text form Mesos puts in schedule validation errors (<c>MachineID::DebugString()</c>).</summary>
    public string DebugString()
    {
        var text = new StringBuilder();
        if (Hostname.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"hostname: \"{Hostname}\"\n");
        }

        if (Ip.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"ip: \"{Ip}\"\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The machine as Mesos' <c>operator&lt;&lt;(MachineID)</c> writes it (<c>type_utils.cpp</c>) in messages such as
    /// DRAIN_AGENT's refusal: <c>host (ip)</c>, <c>host</c> or <c>(ip)</c>.
    /// </summary>
    public string ToMesosString() =>
        Hostname.Length > 0 && Ip.Length > 0 ? $"{Hostname} ({Ip})"
        : Hostname.Length > 0 ? Hostname
        : $"({Ip})";

    public override string ToString() => Ip.Length == 0 ? Hostname : Hostname + "/" + Ip;
}
