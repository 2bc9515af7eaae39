using System.Runtime.InteropServices;

namespace Mesos.Agent.Containerizer;

/// <summary>The few libc calls the posix containerizer needs: signalling a whole process group and checking it is gone.</summary>
public static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int NoSuchProcess = 3;

    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>Sends <paramref name="signal"/> to every process in the group; false when the group is already empty.</summary>
    public static bool SignalGroup(int processGroupId, int signal)
    {
        if (processGroupId <= 1)
        {
            // kill(-1) or kill(0) would hit everything we may signal, including the agent itself.
            throw new ArgumentOutOfRangeException(nameof(processGroupId), processGroupId, "not a task's process group");
        }

        return Kill(-processGroupId, signal) == 0 || Marshal.GetLastPInvokeError() != NoSuchProcess;
    }

    /// <summary>Sends <paramref name="signal"/> to one process; false when it is gone.</summary>
    public static bool SignalProcess(int pid, int signal)
    {
        if (pid <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pid), pid, "not a task's process");
        }

        return Kill(pid, signal) == 0;
    }

    /// <summary>Whether any process (zombies included) is still in the group.</summary>
    public static bool GroupExists(int processGroupId) => SignalGroup(processGroupId, 0);

    public static string Name(int signal) => signal > 0 && signal < Names.Length ? Names[signal] : "signal " + signal;

    public static bool IsKnown(int signal) => signal > 0 && signal < Names.Length;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
