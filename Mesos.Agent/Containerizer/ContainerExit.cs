using System.Globalization;

namespace Mesos.Agent.Containerizer;

/// <summary>How a container's main process ended: an exit status, or the signal that terminated it.</summary>
public sealed record ContainerExit(int? Status, int? Signal)
{
    public bool Succeeded => Status == 0 && Limitation is null;

    /// <summary>Set when the container was killed for exceeding a limit (its memory), whatever its exit code.</summary>
    public ContainerLimitation? Limitation { get; init; }

    /// <summary>
    /// .NET reports a process killed by signal N as exit code 128+N (the shell's convention too), so the
    /// two cannot be told apart; codes in that range are read as signals, as a Mesos operator would read them.
    /// </summary>
    public static ContainerExit FromExitCode(int exitCode) =>
        exitCode > 128 && PosixSignals.IsKnown(exitCode - 128)
            ? new ContainerExit(null, exitCode - 128)
            : new ContainerExit(exitCode, null);

    /// <summary>The command executor's wording: "Command exited with status N" / "Command terminated with signal SIGNAME".</summary>
    public string Describe() => Signal is { } signal
        ? "Command terminated with signal " + PosixSignals.Name(signal)
        : "Command exited with status " + (Status ?? -1).ToString(CultureInfo.InvariantCulture);
}
