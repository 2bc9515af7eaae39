using System.Runtime.InteropServices;

namespace Mesos.Cli.Local;

/// <summary>Sends SIGTERM, which .NET's Process cannot: Kill() is SIGKILL, and a daemon deserves a clean stop first.</summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    public static bool Terminate(int pid) => kill(pid, SigTerm) == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
