using System.Globalization;
using Mesos.Core.Allocation;
using Mesos.Core.Allocation.Audit;
using Mesos.Core.State;
using Mesos.EventLog.Snapshots;
using Mesos.EventLog.Sqlite;
using Mesos.Hosting.Flags;

namespace Mesos.Cli.Commands;

/// <summary>
/// <c>mesos verify [--log PATH]</c>: re-folds a master's event log and re-runs the allocator at every recorded
/// allocation cycle; prints that all cycles match, or the first that differs and how (exit code 1). Each snapshot
/// stored beside the log is checked against the full replay at its position: it must load, and its state must
/// hash to what the log folds to there (exit code 1 otherwise).
/// </summary>
internal sealed class VerifyCommand : ICliCommand
{
    private const string Usage =
        "Usage: mesos verify [--log PATH] [flags]\n\n" +
        "Re-runs the allocator at every allocation cycle recorded in a master's event log and compares its offers with the recorded ones,\n" +
        "and checks every stored snapshot against the full replay at its position.";

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
        var snapshotProblems = new List<string>();
        var snapshotsChecked = 0;
        await using (var log = await SqliteEventLog.OpenAsync(path, cancellationToken).ConfigureAwait(false))
        {
            var snapshots = (await log.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(s => s.Position).ToList();
            var next = 0;
            await foreach (var recorded in log.ReadAsync(0, cancellationToken).ConfigureAwait(false))
            {
                audit.Observe(recorded.Position, recorded.Event);
                while (next < snapshots.Count && snapshots[next].Position <= recorded.Position)
                {
                    if (snapshots[next].Position == recorded.Position)
                    {
                        snapshotProblems.AddRange(await CheckSnapshotAsync(log, snapshots[next].Position, audit.State, cancellationToken).ConfigureAwait(false));
                        snapshotsChecked++;
                    }

                    next++;
                }

                if (audit.HasMismatch)
                {
                    break;
                }
            }

            if (!audit.HasMismatch)
            {
                snapshotProblems.AddRange(snapshots.Skip(next).Select(s => string.Create(CultureInfo.InvariantCulture, $"the snapshot at log position {s.Position} is beyond the log's last event")));
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
        foreach (var problem in snapshotProblems)
        {
            await console.Out.WriteLineAsync(problem).ConfigureAwait(false);
        }

        if (snapshotProblems.Count > 0)
        {
            return 1;
        }

        if (snapshotsChecked > 0)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"all {snapshotsChecked} snapshots equal the full replay at their positions")).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<IReadOnlyList<string>> CheckSnapshotAsync(SqliteEventLog log, long position, ClusterState replayed, CancellationToken ct)
    {
        var stored = await log.ReadSnapshotAsync(position, ct).ConfigureAwait(false);
        if (stored is null || stored.Format != SnapshotCodec.Format)
        {
            // Another build's format: recovery ignores it too, so it cannot make a master wrong.
            return [];
        }

        var hash = StateHash.Compute(replayed);
        try
        {
            SnapshotCodec.Decode(stored);
        }
        catch (SnapshotException e)
        {
            return [e.Message];
        }

        return hash == stored.StateHash
            ? []
            : [string.Create(CultureInfo.InvariantCulture, $"The snapshot at log position {position} differs from the full replay: it hashes to {stored.StateHash}, the log folds to {hash}")];
    }
}
