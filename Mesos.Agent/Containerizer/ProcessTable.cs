using System.Globalization;

namespace Mesos.Agent.Containerizer;

/// <summary>Reads /proc to learn which processes are in a process group, so a kill can be confirmed rather than assumed.</summary>
public static class ProcessTable
{
    /// <summary>Pids of processes in the group that are not zombies (a zombie is dead, only not yet reaped by its parent).</summary>
    public static IReadOnlyList<int> LiveMembersOfGroup(int processGroupId)
    {
        var members = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (ReadStat(pid) is { } stat && stat.ProcessGroupId == processGroupId && stat.State != 'Z' && stat.State != 'X')
            {
                members.Add(pid);
            }
        }

        return members;
    }

    public static int? ProcessGroupOf(int pid) => ReadStat(pid)?.ProcessGroupId;

    /// <summary>When the process started, in clock ticks since boot: with the pid, it names one process for good.</summary>
    public static ulong? StartTimeOf(int pid) => ReadStat(pid)?.StartTime;

    /// <summary>Whether <paramref name="pid"/> is still the process that started at <paramref name="startTime"/> and is not dead.</summary>
    public static bool IsAlive(int pid, ulong startTime) =>
        ReadStat(pid) is { } stat && stat.StartTime == startTime && stat.State != 'Z' && stat.State != 'X';

    private static (char State, int ProcessGroupId, ulong StartTime)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name sits in parentheses and may itself hold spaces and ')', so parse after the last one.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Fields after the name start at field 3 (state); pgrp is field 5 and starttime field 22, as proc(5) counts.
        return fields.Length >= 20 && fields[0].Length == 1
               && int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
               && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            ? (fields[0][0], group, started)
            : null;
    }
}
