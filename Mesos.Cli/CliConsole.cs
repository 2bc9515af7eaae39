using System.Collections;

namespace Mesos.Cli;

/// <summary>
/// What a command may touch of the outside world: its output streams and its environment (for <c>MESOS_*</c>
/// flags), so that tests run commands in-process without spawning the tool.
/// </summary>
/// <param name="Out">Normal output: tables, status lines.</param>
/// <param name="Error">One line per error.</param>
/// <param name="RawOut">The byte stream behind <paramref name="Out"/>, for <c>mesos cat</c> to copy files byte for byte; null: bytes are decoded as UTF-8 and written to <paramref name="Out"/>.</param>
/// <param name="Environment">Where <c>MESOS_&lt;FLAG&gt;</c> variables are read.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Stream? RawOut, IDictionary Environment)
{
    /// <summary>The process's own console and environment.</summary>
    public static CliConsole FromProcess() =>
        new(Console.Out, Console.Error, Console.OpenStandardOutput(), System.Environment.GetEnvironmentVariables());
}
