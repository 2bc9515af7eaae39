using System.Collections.Immutable;
using Mesos.Core.Agents;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Projections.Engine;
using Mesos.Projections.Views;

namespace Mesos.Projections.Totals;

/// <summary>
/// Cluster totals and utilisation over time. A sample is taken at most once per second of event time (later
/// events in the same second update it), so the series is a function of the log and a rebuild gives the same one.
/// </summary>
public sealed class TotalsProjection : IProjection
{
    private const int MaxSamples = 2048;

    private static readonly Dictionary<string, int> NoCounts = [];

    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);

    private readonly Dictionary<TaskKey, string> taskStates = [];
    private readonly Dictionary<string, int> tasksByState = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> agentsByState = new(StringComparer.Ordinal);
    private Scalars total;
    private Scalars used;
    private Scalars offered;
    private ClusterTotals totals = Build(default, default, default, NoCounts, NoCounts, NoCounts);
    private ImmutableList<UtilisationSample> samples = [];
    private long position;

    public string Name => "totals";

    public int Version => 1;

    public long Position => Volatile.Read(ref position);

    public ClusterTotals Totals => Volatile.Read(ref totals);

    public ImmutableList<UtilisationSample> Samples => Volatile.Read(ref samples);

    public void Apply(ProjectionContext context)
    {
        var changed = context.Scope.Frameworks.Count > 0;
        foreach (var id in context.Scope.Agents)
        {
            context.Before.Agents.TryGetValue(id, out var before);
            context.After.Agents.TryGetValue(id, out var after);
            if (before is not null && after is not null && before.Status == after.Status
                && ReferenceEquals(before.Info, after.Info) && ReferenceEquals(before.Used, after.Used) && ReferenceEquals(before.Offered, after.Offered))
            {
                // A heartbeat: nothing the totals count.
                continue;
            }

            changed = true;
            if (before is not null)
            {
                Count(agentsByState, before.Status.ToString().ToUpperInvariant(), -1);
                if (before.Status != AgentStatus.Removed)
                {
                    total -= Scalars.Of(before.Info.Resources);
                    used -= Scalars.Of(before.Used);
                    offered -= Scalars.Of(before.Offered);
                }
            }

            if (after is not null)
            {
                Count(agentsByState, after.Status.ToString().ToUpperInvariant(), 1);
                if (after.Status != AgentStatus.Removed)
                {
                    total += Scalars.Of(after.Info.Resources);
                    used += Scalars.Of(after.Used);
                    offered += Scalars.Of(after.Offered);
                }
            }
        }

        foreach (var key in context.Scope.Tasks)
        {
            var (record, _) = StateLookup.FindTask(context.After, key);
            if (record is null)
            {
                continue;
            }

            var state = TaskStates.Name(record.State);
            if (taskStates.TryGetValue(key, out var old))
            {
                Count(tasksByState, old, -1);
            }

            taskStates[key] = state;
            Count(tasksByState, state, 1);
            changed |= old != state;
        }

        var next = changed ? Build(total, used, offered, agentsByState, FrameworkCounts(context.After), tasksByState) : totals;
        Volatile.Write(ref totals, next);
        Volatile.Write(ref samples, Sample(samples, context, next));
        Volatile.Write(ref position, context.Position);
    }

    public void Reset()
    {
        taskStates.Clear();
        tasksByState.Clear();
        agentsByState.Clear();
        total = used = offered = default;
        Volatile.Write(ref totals, Build(total, used, offered, NoCounts, NoCounts, NoCounts));
        Volatile.Write(ref samples, []);
        Volatile.Write(ref position, 0);
    }

    /// <summary>Totals as of <paramref name="state"/> (for time travel): tasks counted from the fold's active and completed ones.</summary>
    public static ClusterTotals FromState(ClusterState state)
    {
        Scalars total = default, used = default, offered = default;
        var agents = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var agent in state.Agents.Values)
        {
            Count(agents, agent.Status.ToString().ToUpperInvariant(), 1);
            if (agent.Status != AgentStatus.Removed)
            {
                total += Scalars.Of(agent.Info.Resources);
                used += Scalars.Of(agent.Used);
                offered += Scalars.Of(agent.Offered);
            }
        }

        var tasks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var task in state.Tasks.Values.Concat(state.Frameworks.Values.Concat(state.CompletedFrameworks).SelectMany(f => f.CompletedTasks)))
        {
            Count(tasks, TaskStates.Name(task.State), 1);
        }

        return Build(total, used, offered, agents, FrameworkCounts(state), tasks);
    }

    private static Dictionary<string, int> FrameworkCounts(ClusterState state)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var framework in state.Frameworks.Values)
        {
            Count(counts, framework.Status.ToString().ToUpperInvariant(), 1);
        }

        if (state.CompletedFrameworks.Count > 0)
        {
            counts["COMPLETED"] = state.CompletedFrameworks.Count;
        }

        return counts;
    }

    private static ImmutableList<UtilisationSample> Sample(ImmutableList<UtilisationSample> series, ProjectionContext context, ClusterTotals now)
    {
        var sample = new UtilisationSample(
            context.Position,
            context.Event.At,
            now.Used.Cpus,
            now.Total.Cpus,
            now.Used.Mem,
            now.Total.Mem,
            now.Used.Disk,
            now.Total.Disk,
            context.After.Tasks.Count);
        if (!series.IsEmpty && context.Event.At < series[^1].At + SampleEvery)
        {
            return series.SetItem(series.Count - 1, sample with { At = series[^1].At });
        }

        series = series.Add(sample);
        if (series.Count > MaxSamples)
        {
            // Halve the resolution of the older half rather than forget the start of the cluster.
            series = [.. series.Take(MaxSamples / 2).Where((_, i) => i % 2 == 0), .. series.Skip(MaxSamples / 2)];
        }

        return series;
    }

    private static ClusterTotals Build(
        Scalars total,
        Scalars used,
        Scalars offered,
        IReadOnlyDictionary<string, int> agents,
        IReadOnlyDictionary<string, int> frameworks,
        IReadOnlyDictionary<string, int> tasks) =>
        new(
            total.Summary(),
            used.Summary(),
            offered.Summary(),
            new SortedDictionary<string, int>(agents.Where(kv => kv.Value != 0).ToDictionary(), StringComparer.Ordinal),
            new SortedDictionary<string, int>(frameworks.Where(kv => kv.Value != 0).ToDictionary(), StringComparer.Ordinal),
            new SortedDictionary<string, int>(tasks.Where(kv => kv.Value != 0).ToDictionary(), StringComparer.Ordinal));

    private static void Count(Dictionary<string, int> counts, string key, int delta) =>
        counts[key] = counts.GetValueOrDefault(key) + delta;
}
