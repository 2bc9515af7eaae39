namespace Mesos.Cli;

/// <summary>One <c>mesos &lt;command&gt;</c>.</summary>
internal interface ICliCommand
{
    string Name { get; }

    /// <summary>One line for the list of commands.</summary>
    string Summary { get; }

    /// <summary>Runs the command with the arguments after its name; <c>--help</c> has been handled when the command has flags.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken);
}
