using System.Globalization;
using Mesos.Core.Allocation;
using Mesos.Core.Allocation.Audit;
using Mesos.EventLog.Sqlite;
using Mesos.Hosting.Flags;

namespace Mesos.Cli.Commands;

/// <summary>
/// <c>mesos verify [--log PATH]</c>: re-folds a master's event log and re-runs the allocator at every recorded
/// allocation cycle; prints that all cycles match, or the first that differs and how (exit code 1).
/// </summary>
internal sealed class VerifyCommand : ICliCommand
{
    private const string Usage =
        "Usage: mesos verify [--log PATH] [flags]\n\n" +
        "Re-runs the allocator at every allocation cycle recorded in a master's event log and compares its offers with the recorded ones.";

    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        FlagDefinition.String("log", Path.Combine(".mesos", "local", "master", "registry.db"), "The master's event log (registry.db under its --work_dir)"),
        FlagDefinition.String("allocator", "hierarchical-drf", "The allocator that wrote the log: hierarchical-drf or round-robin"),
    ];

    public string Name => "verify";

    public string Summary => "Check that a log's recorded offers are what the allocator decides again";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        if (CommandLine.WantsHelp(args))
        {
            await console.Out.WriteAsync(FlagParser.Help(Usage, Definitions)).ConfigureAwait(false);
            return 0;
        }

        var (flags, words) = CommandLine.Parse(Definitions, args, console.Environment);
        if (words.Count != 0)
        {
            throw new FlagError($"Unexpected argument '{words[0]}': mesos verify [--log PATH]");
        }

        IAllocator allocator = flags.String("allocator") switch
        {
            "hierarchical-drf" => new HierarchicalDrfAllocator(),
            "round-robin" => new RoundRobinAllocator(),
            var other => throw new FlagError($"Flag '--allocator': '{other}' is not hierarchical-drf or round-robin"),
        };

        var path = Path.GetFullPath(flags.String("log")!);
        if (!File.Exists(path))
        {
            throw new CliError($"No event log at {path}");
        }

        var audit = new AllocationAudit(allocator);
        await using (var log = await SqliteEventLog.OpenAsync(path, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var recorded in log.ReadAsync(0, cancellationToken).ConfigureAwait(false))
            {
                audit.Observe(recorded.Position, recorded.Event);
                if (audit.HasMismatch)
                {
                    break;
                }
            }
        }

        var result = audit.Finish();
        if (result.FirstMismatch is { } m)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"cycle {m.Cycle} (log position {m.Position}, at {m.At:O}, seed {m.Seed}) differs: {m.Difference}")).ConfigureAwait(false);
            return 1;
        }

        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"all {result.CyclesChecked} cycles match ({result.EventsRead} events in {path})")).ConfigureAwait(false);
        return 0;
    }
}
