using Mesos.Agent;
using Mesos.Master;

namespace Mesos.Cli.Commands;

/// <summary><c>mesos master</c> and <c>mesos agent</c>: the daemons, which parse their own flags (and <c>--help</c>).</summary>
internal sealed class DaemonCommand(string name, string summary, Func<string[], CancellationToken, Task<int>> run) : ICliCommand
{
    public static DaemonCommand Master { get; } = new("master", "Run a master (flags: mesos master --help)", MasterHost.RunAsync);

    public static DaemonCommand Agent { get; } = new("agent", "Run an agent (flags: mesos agent --help)", AgentHost.RunAsync);

    public string Name => name;

    public string Summary => summary;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            return await run([.. args], cancellationToken).ConfigureAwait(false);
        }
        catch (NotImplementedException e)
        {
            throw new CliError($"mesos {name} is not available in this build: {e.Message}");
        }
    }
}
