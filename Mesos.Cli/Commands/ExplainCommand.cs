using Mesos.Cli.Output;
using Mesos.Client;
using Mesos.Hosting.Flags;

namespace Mesos.Cli.Commands;

/// <summary>
/// <c>mesos explain --framework ID</c> / <c>--agent ID</c>: why the latest allocation cycle did or did not offer
/// resources, one line per framework, role and agent, in plain words.
/// </summary>
internal sealed class ExplainCommand : ICliCommand
{
    private const string Usage =
        "Usage: mesos explain --framework ID | --agent ID [flags]\n\n" +
        "Says why the latest allocation cycle did or did not offer resources to a framework (on each agent), or of an agent (to each framework).";

    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        CommonFlags.Master,
        FlagDefinition.String("framework", null, "The framework to explain (its id)"),
        FlagDefinition.String("agent", null, "The agent to explain (its id)"),
    ];

    public string Name => "explain";

    public string Summary => "Say why a framework or agent did or did not get offers in the latest allocation cycle";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        if (CommandLine.WantsHelp(args))
        {
            await console.Out.WriteAsync(FlagParser.Help(Usage, Definitions)).ConfigureAwait(false);
            return 0;
        }

        var flags = CommandLine.ParseFlagsOnly(Definitions, args, console.Environment);
        var framework = flags.String("framework");
        var agent = flags.String("agent");
        if (string.IsNullOrEmpty(framework) && string.IsNullOrEmpty(agent))
        {
            throw new FlagError("Name what to explain: mesos explain --framework ID, or --agent ID");
        }

        using var connection = new MasterConnection(flags.RequiredString("master"));
        var reply = await new OperatorClient(connection).ExplainAllocationAsync(framework, agent, cancellationToken).ConfigureAwait(false);
        await console.Out.WriteAsync(Explanations.Render(reply, withFramework: string.IsNullOrEmpty(framework), withAgent: string.IsNullOrEmpty(agent))).ConfigureAwait(false);
        return 0;
    }
}
