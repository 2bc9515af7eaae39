using Mesos.Cli.Output;
using Mesos.Client;
using Mesos.Hosting.Flags;
using Mesos.Protocol.V1;

namespace Mesos.Cli.Commands;

/// <summary><c>mesos agents</c>, <c>mesos frameworks</c>, <c>mesos tasks</c>: one GetState, one table.</summary>
internal sealed class StateTableCommand(string name, string summary, bool hasAllFlag, Func<ClusterStateReply, bool, string> render) : ICliCommand
{
    public static StateTableCommand Agents { get; } = new(
        "agents", "List the agents: address, state, resources used/total", false, (state, _) => StateTables.Agents(state));

    public static StateTableCommand Frameworks { get; } = new(
        "frameworks", "List the frameworks: name, roles, state, active tasks", false, (state, _) => StateTables.Frameworks(state));

    public static StateTableCommand Tasks { get; } = new(
        "tasks", "List the active tasks (--all: completed ones too)", true, StateTables.Tasks);

    public string Name => name;

    public string Summary => summary;

    private IReadOnlyList<FlagDefinition> Definitions =>
        hasAllFlag
            ? [CommonFlags.Master, FlagDefinition.Bool("all", false, "Include tasks that have ended (finished, failed, killed, lost, ...)")]
            : [CommonFlags.Master];

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        if (CommandLine.WantsHelp(args))
        {
            await console.Out.WriteAsync(FlagParser.Help($"Usage: mesos {name} [flags]\n\n{summary}.", Definitions)).ConfigureAwait(false);
            return 0;
        }

        var flags = CommandLine.ParseFlagsOnly(Definitions, args, console.Environment);
        using var connection = new MasterConnection(flags.RequiredString("master"));
        var state = await new OperatorClient(connection).GetStateAsync(0, cancellationToken).ConfigureAwait(false);
        await console.Out.WriteAsync(render(state, hasAllFlag && flags.Bool("all"))).ConfigureAwait(false);
        return 0;
    }
}
