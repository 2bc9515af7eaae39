using System.ComponentModel;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Mesos.Cli.Commands;
using Mesos.Client;
using Mesos.Hosting.Flags;

namespace Mesos.Cli;

/// <summary>
/// The <c>mesos</c> tool without the process around it: dispatches to a subcommand and turns expected failures into
/// one line on stderr and a non-zero exit code. <c>Program</c> only adds signals and the real console.
/// </summary>
public static class CliApp
{
    private static readonly IReadOnlyList<ICliCommand> Commands =
    [
        DaemonCommand.Master,
        DaemonCommand.Agent,
        new LocalCommand(),
        new ExecuteCommand(),
        StateTableCommand.Agents,
        StateTableCommand.Frameworks,
        StateTableCommand.Tasks,
        new CatCommand(),
        new VerifyCommand(),
        new LogCommand(),
        new ExplainCommand(),
    ];

    /// <summary>Runs with the process's environment (for <c>MESOS_*</c> flags).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, new CliConsole(stdout, stderr, null, Environment.GetEnvironmentVariables()), cancellationToken);

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);

        // Commands write from more than one task (status lines, a delayed kill, child process output).
        console = console with { Out = TextWriter.Synchronized(console.Out), Error = TextWriter.Synchronized(console.Error) };
        try
        {
            return await DispatchAsync(args, console, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (OneLine(e, cancellationToken) is { } line)
        {
            await console.Error.WriteLineAsync(line.Message).ConfigureAwait(false);
            return line.ExitCode;
        }
        finally
        {
            await console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await console.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal static string Usage()
    {
        var builder = new StringBuilder("Usage: mesos <command> [flags]\n\nCommands:\n");
        foreach (var command in Commands)
        {
            builder.Append("  ").Append(command.Name.PadRight(12)).Append(command.Summary).Append('\n');
        }

        builder.Append("\nRun 'mesos <command> --help' for its flags. Every flag can also be set as MESOS_<FLAG> in the environment;\n");
        builder.Append("the command line wins. --master defaults to ").Append(CommonFlags.DefaultMaster).Append(" (or MESOS_MASTER).\n");
        return builder.ToString();
    }

    private static async Task<int> DispatchAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
        {
            await console.Error.WriteAsync(Usage()).ConfigureAwait(false);
            return 1;
        }

        switch (args[0])
        {
            case "--help" or "-h" or "help":
                await console.Out.WriteAsync(Usage()).ConfigureAwait(false);
                return 0;
            case "--version" or "version":
                await console.Out.WriteLineAsync($"mesos {Version()} (Mesos 1.11 compatible, event-sourced)").ConfigureAwait(false);
                return 0;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            await console.Error.WriteLineAsync($"Unknown command '{args[0]}'").ConfigureAwait(false);
            await console.Error.WriteAsync(Usage()).ConfigureAwait(false);
            return 1;
        }

        return await command.RunAsync(args[1..], console, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The line and exit code for failures a user can cause or fix; null for bugs, which keep their stack trace.</summary>
    private static (string Message, int ExitCode)? OneLine(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        CliError e => (e.Message, e.ExitCode),
        FlagError e => (e.Message, 1),
        MasterUnreachableException e => (e.Message, 1),
        SchedulerDriverException e => (e.Message, 1),
        FormatException e => (e.Message, 1),
        RpcException e => ($"The master answered {e.StatusCode}: {RpcErrors.Describe(e)}", 1),
        HttpRequestException e => (e.Message, 1),
        JsonException e => ($"Unexpected reply: {e.Message}", 1),
        IOException or UnauthorizedAccessException => (exception.Message, 1),
        Win32Exception e => ($"Failed to start a process: {e.Message}", 1),
        OperationCanceledException when cancellationToken.IsCancellationRequested => ("Interrupted", 130),
        _ => null,
    };

    private static string Version() =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
