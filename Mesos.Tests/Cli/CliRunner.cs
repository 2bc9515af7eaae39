using System.Collections;
using Mesos.Cli;

namespace Mesos.Tests.Cli;

/// <summary>Runs the <c>mesos</c> tool in-process with captured output and a controlled environment.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(
        string[] args, IDictionary? environment = null, CancellationToken cancellationToken = default)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exitCode = await CliApp.RunAsync(args, new CliConsole(stdout, stderr, null, environment ?? new Hashtable()), cancellationToken);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
