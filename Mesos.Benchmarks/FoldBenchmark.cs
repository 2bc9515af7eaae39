using System.Diagnostics;
using Mesos.Core.Events;
using Mesos.Core.State;

namespace Mesos.Benchmarks;

/// <summary>How fast the fold replays: the bound on a master's start-up and an audit's speed.</summary>
public static class FoldBenchmark
{
    public static void Run(int events, int runs)
    {
        Console.WriteLine($"fold: generating a synthetic log of {events:N0} events (agents heartbeating, offers, launches, updates, acks)...");
        var log = SyntheticCluster.Generate(events);
        Console.WriteLine($"fold: {log.Count:N0} events: {Describe(log)}");

        var rates = new List<double>();
        string? hash = null;
        for (var run = 0; run < runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            var state = ClusterState.Empty;
            foreach (var e in log)
            {
                state = ClusterFold.Apply(state, e);
            }

            stopwatch.Stop();
            var runHash = StateHash.Compute(state);
            if (hash is not null && hash != runHash)
            {
                throw new InvalidOperationException("two replays of the same log gave different states");
            }

            hash = runHash;
            rates.Add(log.Count / stopwatch.Elapsed.TotalSeconds);
            Console.WriteLine($"fold: run {run + 1}: {stopwatch.Elapsed.TotalMilliseconds:N0} ms, {rates[^1]:N0} events/s");
        }

        Console.WriteLine($"fold: median {Stats.Median(rates):N0} events/s over {runs} runs (in memory, no decoding); state hash {hash![..16]}");
    }

    private static string Describe(List<ClusterEvent> log) =>
        string.Join(", ", log.GroupBy(e => e.GetType().Name).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}"));
}
