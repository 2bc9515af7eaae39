namespace Mesos.Cli;

/// <summary>An expected failure (task not found, bad argument): its message is printed as one line, without a stack trace.</summary>
public sealed class CliError(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
