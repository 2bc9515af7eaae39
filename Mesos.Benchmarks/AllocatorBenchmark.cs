using System.Diagnostics;
using System.Globalization;
using Mesos.Core.Agents;
using Mesos.Core.Allocation;
using Mesos.Core.Attributes;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Masters;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Core.State;

namespace Mesos.Benchmarks;

/// <summary>
/// Mesos' <c>HierarchicalAllocator_BENCHMARK_Test.DeclineOffers</c>: identical agents
/// (<c>cpus:24;mem:4096;disk:4096;ports:[31000-32000]</c>), frameworks that decline every offer with a long filter.
/// Each round times one allocation cycle, then folds its offers and their declines, so that filters pile up as in
/// Mesos' run. Prints the median of the rounds. With <c>quota</c>, frameworks are spread over 1,000 roles, a tenth of
/// them with a guarantee and a limit.
/// </summary>
public static class AllocatorBenchmark
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Run(IReadOnlyList<string> args)
    {
        var agentCounts = args.Count > 0 ? Parse(args[0]) : [1_000, 10_000, 50_000];
        var frameworkCounts = args.Count > 1 ? Parse(args[1]) : [10, 100, 1_000];
        var withQuota = args.Contains("quota");
        Console.WriteLine($"allocator: hierarchical DRF, one cycle, median of 3 rounds ({(withQuota ? "1,000 roles, 100 with quota" : "frameworks in one role")}); Mesos 1.7.1: ~1.06 s at 10,000 x 1,000");
        Console.WriteLine($"{"agents",8} {"frameworks",10} {"cycle ms",10} {"offers",8} {"filters",9}");
        foreach (var agents in agentCounts)
        {
            foreach (var frameworks in frameworkCounts)
            {
                Measure(agents, frameworks, withQuota);
            }
        }
    }

    private static int[] Parse(string list) => [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private static void Measure(int agents, int frameworks, bool withQuota)
    {
        var state = Build(agents, frameworks, withQuota);
        var allocator = new HierarchicalDrfAllocator();
        var times = new List<double>();
        var offers = 0;
        long offerNumber = 0;
        for (var round = 0; round < 3; round++)
        {
            var now = Start.AddSeconds(round + 1);
            var stopwatch = Stopwatch.StartNew();
            var grants = allocator.Allocate(state, now, round);
            stopwatch.Stop();
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
            offers = grants.Count;

            // Folded straight, without decide: the figure is the allocator's, and the fold is benchmarked apart.
            var events = new List<ClusterEvent>(grants.Count * 2);
            foreach (var grant in grants)
            {
                var id = new OfferId("O" + (offerNumber++).ToString(CultureInfo.InvariantCulture));
                events.Add(new OfferMade(id, grant.FrameworkId, grant.AgentId, grant.Role, grant.Resources) { At = now, Principal = "bench" });
                events.Add(new OfferDeclined(id, now.AddDays(1)) { At = now, Principal = "bench" });
            }

            state = ClusterFold.ApplyAll(state, events);
        }

        var filters = state.Frameworks.Values.Sum(f => f.Filters.Count);
        Console.WriteLine($"{agents,8:N0} {frameworks,10:N0} {Stats.Median(times),10:N1} {offers,8:N0} {filters,9:N0}");
    }

    private static ClusterState Build(int agents, int frameworks, bool withQuota)
    {
        var events = new List<ClusterEvent>(agents + frameworks + 2)
        {
            new MasterElected(new MasterIdentity("bench", "localhost", "127.0.0.1", 5050, "1.11.0")) { At = Start, Principal = "bench" },
        };
        var resources = ResourceSet.Parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");
        for (var i = 0; i < agents; i++)
        {
            events.Add(new AgentRegistered(new AgentId("S" + i.ToString("D6", CultureInfo.InvariantCulture)), new AgentInfo("agent" + i, 5051, resources, AgentAttributes.Empty)) { At = Start, Principal = "bench" });
        }

        for (var i = 0; i < frameworks; i++)
        {
            var role = withQuota ? "role" + (i % 1000).ToString(CultureInfo.InvariantCulture) : "role1";
            var info = new FrameworkInfo("framework" + i, "user", [role], 0, false, string.Empty, string.Empty, string.Empty, []);
            events.Add(new FrameworkSubscribed(new FrameworkId("F" + i.ToString("D6", CultureInfo.InvariantCulture)), info, false) { At = Start, Principal = "bench" });
        }

        if (withQuota)
        {
            events.Add(new QuotaUpdated([.. Enumerable.Range(0, 100).Select(i => new RoleQuota(
                "role" + (i * 10).ToString(CultureInfo.InvariantCulture), ResourceSet.Parse("cpus:24;mem:4096"), ResourceSet.Parse("cpus:48;mem:8192")))])
            {
                At = Start,
                Principal = "bench",
            });
        }

        return ClusterFold.ApplyAll(ClusterState.Empty, events);
    }
}
