using Mesos.Client;
using Mesos.Core.Resources;
using Mesos.Hosting.Flags;
using Mesos.Protocol.V1;

namespace Mesos.Cli.Commands;

/// <summary>
/// <c>mesos execute</c>, after Mesos' <c>mesos-execute</c>: a one-task framework. It waits for an offer that holds
/// the requested resources, launches the command, prints every status update and exits when the task ends
/// (0 for TASK_FINISHED, 1 otherwise).
/// </summary>
internal sealed class ExecuteCommand : ICliCommand
{
    private const string Usage =
        "Usage: mesos execute --name=NAME --command=CMD [flags]\n\n" +
        "Runs CMD (with /bin/sh -c) as one task, prints each status update and exits when the task ends:\n" +
        "0 for TASK_FINISHED, 1 otherwise.";

    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        CommonFlags.Master,
        FlagDefinition.String("name", null, "Name of the task (required)"),
        FlagDefinition.String("command", null, "Shell command to run (required)"),
        FlagDefinition.String("task_id", null, "Task id (default: NAME-<random suffix>)"),
        FlagDefinition.String("resources", "cpus:0.1;mem:32", "Resources for the task, as the agent's --resources: cpus:1;mem:128;ports:[8080-8080]"),
        FlagDefinition.String("role", "*", "Role the framework subscribes with; offers hold unreserved resources and this role's reservations"),
        FlagDefinition.String("framework_name", "mesos-execute instance", "Name of the framework"),
        FlagDefinition.Duration("kill_after", null, "Kill the task this long after it starts running (e.g. 10secs)"),
        FlagDefinition.Duration("failover_timeout", "10mins", "How long the master keeps the framework and its task while this tool is disconnected; a master restart within it does not kill the task"),
        FlagDefinition.Bool("checkpoint", false, "Ask the agent to checkpoint the task, so that it survives an agent restart"),
        FlagDefinition.Duration("connect_timeout", "10secs", "How long to keep trying to reach the master at start"),
    ];

    public string Name => "execute";

    public string Summary => "Run one command as a task and wait for it to end (like mesos-execute)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        if (CommandLine.WantsHelp(args))
        {
            await console.Out.WriteAsync(FlagParser.Help(Usage, Definitions)).ConfigureAwait(false);
            return 0;
        }

        var flags = CommandLine.ParseFlagsOnly(Definitions, args, console.Environment);
        var name = flags.RequiredString("name");
        var command = flags.RequiredString("command");
        var role = flags.RequiredString("role");
        var taskId = flags.String("task_id") ?? name + "-" + Guid.NewGuid().ToString("N")[..8];
        var resourcesText = flags.RequiredString("resources");
        if (!ResourceSet.TryParse(resourcesText, out var requested, out var resourceError))
        {
            throw new FlagError($"Failed to load flag 'resources': {resourceError}");
        }

        var killAfter = flags.OptionalDuration("kill_after");
        var framework = new FrameworkInfo
        {
            User = System.Environment.UserName,
            Name = flags.RequiredString("framework_name"),
            FailoverTimeout = flags.Duration("failover_timeout").TotalSeconds,
            Checkpoint = flags.Bool("checkpoint"),
            Roles = { role },
            Capabilities =
            {
                FrameworkInfo.Types.Capability.MultiRole,
                FrameworkInfo.Types.Capability.PartitionAware,
                FrameworkInfo.Types.Capability.TaskKillingState,
            },
        };

        using var connection = new MasterConnection(flags.RequiredString("master"));
        var run = new ExecuteSession(console, taskId, name, command, role, requested, killAfter);
        var driver = new SchedulerDriver(connection, framework, new SchedulerDriverOptions
        {
            InitialConnectTimeout = flags.Duration("connect_timeout"),
            // Before the first subscription, failures end in one "Failed to connect" line instead.
            Diagnostics = line =>
            {
                if (run.EverSubscribed)
                {
                    console.Error.WriteLine(line);
                }
            },
        });
        await using (driver.ConfigureAwait(false))
        {
            driver.Start();
            try
            {
                return await run.ExecuteAsync(driver, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Leaving the framework behind would keep its task running for failover_timeout with nobody watching.
                var frameworkId = driver.FrameworkId;
                await ExecuteSession.TeardownQuietlyAsync(driver).ConfigureAwait(false);
                await console.Error.WriteLineAsync(frameworkId is null
                    ? "Interrupted"
                    : $"Interrupted: tore down framework {frameworkId}, which kills task '{taskId}'").ConfigureAwait(false);
                return 130;
            }
        }
    }
}
