using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
/// Mesos' run. Prints the median of the rounds, in wall time and in CPU time (steadier on a shared machine), and a
/// digest of every grant made, so that two builds can be shown to decide the same. With <c>quota</c>, frameworks are
/// spread over 1,000 roles, a tenth of them with a guarantee and a limit. <c>large-small-quota</c> is Mesos'
/// <c>BENCHMARK_HierarchicalAllocator_WithQuotaParam.LargeAndSmallQuota/2</c> instead.
/// </summary>
public static class AllocatorBenchmark
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Mesos' LargeAndSmallQuota/2 cycle after its 2019 fixes (mesos-reference.md §8.2), and its empty second cycle.</summary>
    private const double MesosLargeAndSmallQuotaMs = 15_300;

    private const double MesosLargeAndSmallQuotaEmptyMs = 13_700;

    public static void Run(IReadOnlyList<string> args)
    {
        if (args.Contains("large-small-quota"))
        {
            LargeAndSmallQuota();
            return;
        }

        var agentCounts = args.Count > 0 ? Parse(args[0]) : [1_000, 10_000, 50_000];
        var frameworkCounts = args.Count > 1 ? Parse(args[1]) : [10, 100, 1_000];
        var withQuota = args.Contains("quota");
        Console.WriteLine($"allocator: hierarchical DRF, one cycle, median of 3 rounds ({(withQuota ? "1,000 roles, 100 with quota" : "frameworks in one role")}); Mesos 1.7.1: ~1.06 s at 10,000 x 1,000");
        Console.WriteLine($"{"agents",8} {"frameworks",10} {"cycle ms",10} {"cpu ms",8} {"offers",8} {"filters",9}  grants digest");
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
        var cpu = new List<double>();
        var offers = 0;
        long offerNumber = 0;
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var round = 0; round < 3; round++)
        {
            var now = Start.AddSeconds(round + 1);
            var (grants, wall, processor) = Time(allocator, state, now, round);
            times.Add(wall);
            cpu.Add(processor);
            offers = grants.Count;
            Digest(digest, grants);

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
        Console.WriteLine($"{agents,8:N0} {frameworks,10:N0} {Stats.Median(times),10:N1} {Stats.Median(cpu),8:N1} {offers,8:N0} {filters,9:N0}  {Hex(digest)}");
    }

    /// <summary>
    /// Mesos' LargeAndSmallQuota/2: 3,000 agents of <c>cpus:2;mem:2048;disk:2048</c>, 2,500 roles with quota
    /// <c>cpus:1;mem:1024;disk:1024</c> (half an agent) and 500 with <c>cpus:4;mem:4096;disk:4096</c> (two agents), one
    /// framework each; one cycle that hands out the whole cluster, then one that finds nothing left. Mesos' quota is
    /// a guarantee and a limit of the same amount. Each shape is built afresh for every round.
    /// </summary>
    private static void LargeAndSmallQuota()
    {
        Console.WriteLine("allocator: Mesos' LargeAndSmallQuota/2 (3,000 agents, 2,500 small + 500 large quota roles, 3,000 frameworks), median of 3 rounds");
        Console.WriteLine($"{"cycle",8} {"wall ms",10} {"cpu ms",8} {"offers",8} {"Mesos ms",9} {"ratio",9}  grants digest");
        var allocator = new HierarchicalDrfAllocator();
        var first = new List<(double Wall, double Cpu, int Offers)>();
        var second = new List<(double Wall, double Cpu, int Offers)>();
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var round = 0; round < 3; round++)
        {
            var state = BuildLargeAndSmallQuota();
            var now = Start.AddSeconds(1);
            var (grants, wall, cpu) = Time(allocator, state, now, round);
            first.Add((wall, cpu, grants.Count));
            Digest(digest, grants);

            // Offers stay outstanding, as in Mesos' run: the next cycle has nothing to give.
            long offerNumber = 0;
            state = ClusterFold.ApplyAll(state, grants.Select(g => new OfferMade(
                new OfferId("O" + (offerNumber++).ToString(CultureInfo.InvariantCulture)), g.FrameworkId, g.AgentId, g.Role, g.Resources) { At = now, Principal = "bench" }));
            var (empty, emptyWall, emptyCpu) = Time(allocator, state, now.AddSeconds(1), round + 100);
            second.Add((emptyWall, emptyCpu, empty.Count));
        }

        var hex = Hex(digest);
        Row("first", first, MesosLargeAndSmallQuotaMs, hex);
        Row("second", second, MesosLargeAndSmallQuotaEmptyMs, string.Empty);

        static void Row(string name, List<(double Wall, double Cpu, int Offers)> rounds, double mesos, string digest)
        {
            var wall = Stats.Median([.. rounds.Select(r => r.Wall)]);
            var cpu = Stats.Median([.. rounds.Select(r => r.Cpu)]);
            Console.WriteLine($"{name,8} {wall,10:N1} {cpu,8:N1} {rounds[^1].Offers,8:N0} {mesos,9:N0} {mesos / wall,8:N0}x  {digest}");
        }
    }

    private static ClusterState BuildLargeAndSmallQuota()
    {
        const int small = 2_500;
        const int large = 500;
        var events = new List<ClusterEvent>
        {
            new MasterElected(new MasterIdentity("bench", "localhost", "127.0.0.1", 5050, "1.11.0")) { At = Start, Principal = "bench" },
        };
        var resources = ResourceSet.Parse("cpus:2;mem:2048;disk:2048");
        for (var i = 0; i < (small / 5) + (large * 5); i++)
        {
            events.Add(new AgentRegistered(new AgentId("S" + i.ToString("D6", CultureInfo.InvariantCulture)), new AgentInfo("agent" + i, 5051, resources, AgentAttributes.Empty)) { At = Start, Principal = "bench" });
        }

        var quotas = new List<RoleQuota>();
        void Role(string role, int number, string quota)
        {
            var info = new FrameworkInfo("framework_" + role, "user", [role], 0, false, string.Empty, string.Empty, string.Empty, []);
            events.Add(new FrameworkSubscribed(new FrameworkId("F" + number.ToString("D6", CultureInfo.InvariantCulture)), info, false) { At = Start, Principal = "bench" });
            quotas.Add(new RoleQuota(role, ResourceSet.Parse(quota), ResourceSet.Parse(quota)));
        }

        for (var i = 0; i < small; i++)
        {
            Role("smallQuotaRole" + i.ToString(CultureInfo.InvariantCulture), i, "cpus:1;mem:1024;disk:1024");
        }

        for (var i = 0; i < large; i++)
        {
            Role("largeQuotaRole" + i.ToString(CultureInfo.InvariantCulture), small + i, "cpus:4;mem:4096;disk:4096");
        }

        events.Add(new QuotaUpdated([.. quotas]) { At = Start, Principal = "bench" });
        return ClusterFold.ApplyAll(ClusterState.Empty, events);
    }

    private static (IReadOnlyList<OfferGrant> Grants, double WallMs, double CpuMs) Time(IAllocator allocator, ClusterState state, DateTimeOffset now, long seed)
    {
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var stopwatch = Stopwatch.StartNew();
        var grants = allocator.Allocate(state, now, seed);
        stopwatch.Stop();
        return (grants, stopwatch.Elapsed.TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds);
    }

    private static void Digest(IncrementalHash digest, IReadOnlyList<OfferGrant> grants)
    {
        foreach (var g in grants)
        {
            digest.AppendData(Encoding.UTF8.GetBytes($"{g.FrameworkId}|{g.AgentId}|{g.Role}|{g.Resources}\n"));
        }
    }

    private static string Hex(IncrementalHash digest) => Convert.ToHexStringLower(digest.GetCurrentHash())[..16];

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
