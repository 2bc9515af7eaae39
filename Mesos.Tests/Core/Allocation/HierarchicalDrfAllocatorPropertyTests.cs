using CsCheck;
using Mesos.Core.Allocation;
using Mesos.Core.Allocation.Explain;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Allocation;

/// <summary>
/// Safety of the allocator over random clusters: agents with reservations, frameworks in one or several roles of a
/// small role tree, weights, quotas, several cycles in which frameworks launch part of what they get and decline
/// the rest. A failure prints CsCheck's seed, which replays it.
/// </summary>
public sealed class HierarchicalDrfAllocatorPropertyTests
{
    private const int Iterations = 60;

    private static readonly string[] RolePool = ["*", "a", "a/b", "a/c", "d"];

    private static readonly string[] ReservationPool = ["a", "a/b", "d"];

    /// <summary>Dynamic reservations: for a role, or refined below a static one ('a' then 'a/b').</summary>
    private static readonly string[] DynamicRolePool = ["a@op", "a/b@op", "d@op", "a,a/b@op", "a/c@op"];

    internal sealed record Scenario(
        (int Cpus, int Mem, int ReservedCpus, int Reservation)[] Agents,
        (int RoleMask, bool Launches)[] Frameworks,
        (int Role, int Weight)[] Weights,
        (int Role, int GuaranteeCpus, int LimitCpus)[] Quotas,
        long Seed)
    {
        /// <summary>Operator RESERVE_RESOURCES after the agents register: agent, role, cpus and mem (some refined, some too big).</summary>
        public (int Agent, int Role, int Cpus, int Mem)[] Dynamic { get; init; } = [];
    }

    private static readonly Gen<Scenario> Scenarios =
        Gen.Select(
            Gen.Select(Gen.Int[1, 16], Gen.Int[256, 8192], Gen.Int[0, 3], Gen.Int[0, ReservationPool.Length - 1]).Array[1, 8],
            Gen.Select(Gen.Int[1, (1 << RolePool.Length) - 1], Gen.Bool).Array[1, 6],
            Gen.Select(Gen.Int[1, RolePool.Length - 1], Gen.Int[1, 4]).Array[0, 2],
            Gen.Select(Gen.Int[1, RolePool.Length - 1], Gen.Int[0, 4], Gen.Int[2, 12]).Array[0, 2],
            Gen.Long,
            Gen.Select(Gen.Int[0, 7], Gen.Int[0, DynamicRolePool.Length - 1], Gen.Int[0, 4], Gen.Int[0, 512]).Array[0, 4])
        .Select((agents, frameworks, weights, quotas, seed, dynamic) => new Scenario(agents, frameworks, weights, quotas, seed) { Dynamic = dynamic });


    private static AllocatorWorld Build(Scenario s)
    {
        var world = new AllocatorWorld();
        foreach (var (cpus, mem, reservedCpus, reservation) in s.Agents)
        {
            var reserved = reservedCpus > 0 ? $";cpus({ReservationPool[reservation]}):{reservedCpus}" : string.Empty;
            world.AddAgent($"cpus:{cpus};mem:{mem};ports:[31000-31010]{reserved}");
        }

        foreach (var (agent, role, cpus, mem) in s.Dynamic)
        {
            // Reservations the agent cannot hold (more than it has free, refining what it has not got) are refused
            // by decide; the scenario goes on without them.
            if (agent < world.State.Agents.Count)
            {
                var agentId = world.State.Agents.Keys.ElementAt(agent);
                var wanted = string.Join(";", new[] { cpus > 0 ? $"cpus({DynamicRolePool[role]}):{cpus}" : null, mem > 0 ? $"mem({DynamicRolePool[role]}):{mem}" : null }.OfType<string>());
                if (wanted.Length > 0)
                {
                    world.TryExecute(new Mesos.Core.Commands.ReserveResources(agentId, ResourceSet.Parse(wanted)) { Principal = "operator" });
                }
            }
        }

        foreach (var (role, weight) in s.Weights.DistinctBy(w => w.Role))
        {
            world.Weights((RolePool[role], weight));
        }

        foreach (var (role, guarantee, limit) in s.Quotas.DistinctBy(q => q.Role))
        {
            // Invalid trees (a child above its parent) are refused by decide; the scenario goes on without them.
            world.TryExecute(new Mesos.Core.Commands.UpdateQuota(
                [new Mesos.Core.Quotas.RoleQuota(RolePool[role], ResourceSet.Parse($"cpus:{Math.Min(guarantee, limit)}"), ResourceSet.Parse($"cpus:{limit}"))],
                Force: false) { Principal = "operator" });
        }

        for (var i = 0; i < s.Frameworks.Length; i++)
        {
            var roles = RolePool.Where((_, bit) => (s.Frameworks[i].RoleMask & (1 << bit)) != 0).ToArray();
            if (i % 2 == 1)
            {
                // Every other framework reads reservation stacks, so refined reservations have takers too.
                Mesos.Core.Frameworks.FrameworkCapability[] capabilities = roles.Length > 1
                    ? [Mesos.Core.Frameworks.FrameworkCapability.MultiRole, Mesos.Core.Frameworks.FrameworkCapability.ReservationRefinement]
                    : [Mesos.Core.Frameworks.FrameworkCapability.ReservationRefinement];
                var info = new Mesos.Core.Frameworks.FrameworkInfo("F" + i, "user", [.. roles], 0, false, "F" + i, "host", string.Empty, [.. capabilities]);
                world.Execute(new Mesos.Core.Commands.SubscribeFramework(info, null) { Principal = "F" + i });
            }
            else
            {
                world.Subscribe("F" + i, roles);
            }
        }

        return world;
    }

    /// <summary>Runs a few cycles, checking <paramref name="invariant"/> after each.</summary>
    private static void Run(Scenario s, Action<AllocatorWorld, IReadOnlyList<OfferMade>> invariant)
    {
        var world = Build(s);
        var launches = world.State.Frameworks.Values.Select((f, i) => (f.Id, s.Frameworks[i].Launches)).ToDictionary();
        for (var cycle = 0; cycle < 4; cycle++)
        {
            var offers = world.Allocate(s.Seed + cycle);
            invariant(world, offers);
            foreach (var offer in offers.Where((_, i) => i % 2 == cycle % 2))
            {
                var half = ResourceSet.Of(offer.Resources.Entries
                    .Where(r => r.Kind == ResourceKind.Scalar)
                    .Select(r => Resource.OfScalar(r.Name, new ScalarValue(Math.Max(1, r.Scalar.Thousandths / 2))).WithReservations(r.Reservations)));
                if (launches[offer.FrameworkId] && MinimumAllocatable.Default.IsMet(half))
                {
                    world.Launch(offer, half, refuseSeconds: 1);
                }
                else
                {
                    world.Decline(offer, refuseSeconds: 2);
                }
            }

            world.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void OfferedPlusUsed_NeverExceedsAnAgentsTotal() =>
        Scenarios.Sample(s => Run(s, (world, _) =>
        {
            foreach (var agent in world.State.Agents.Values)
            {
                Assert.True(agent.Info.Resources.Contains(agent.Used + agent.Offered), $"{agent.Id}: used {agent.Used} + offered {agent.Offered} > {agent.Info.Resources}");
            }
        }), iter: Iterations);

    [Fact]
    public void Resources_AreNeverOfferedTwiceAtOnce() =>
        Scenarios.Sample(s => Run(s, (world, _) =>
        {
            foreach (var byAgent in world.State.Offers.Values.GroupBy(o => o.AgentId))
            {
                var sum = byAgent.Aggregate(ResourceSet.Empty, (total, o) => total + o.Resources);
                Assert.True(world.State.Agents[byAgent.Key].Info.Resources.Contains(sum), $"{byAgent.Key}: offers {sum}");
            }
        }), iter: Iterations);

    [Fact]
    public void Offers_HoldOnlyReservationsOfTheirRoleOrItsAncestors() =>
        Scenarios.Sample(s => Run(s, (_, offers) =>
        {
            foreach (var offer in offers)
            {
                Assert.All(offer.Resources.Entries, r => Assert.True(
                    !r.IsReserved || r.Role == offer.Role || Roles.IsStrictSubroleOf(offer.Role, r.Role), $"{r} offered to {offer.Role}"));
            }
        }), iter: Iterations);

    [Fact]
    public void DynamicReservations_AreNeverOfferedToAnotherRole_NorRefinedOnesToFrameworksThatCannotReadThem() =>
        Scenarios.Sample(s => Run(s, (world, offers) =>
        {
            foreach (var offer in offers)
            {
                var framework = world.State.Frameworks[offer.FrameworkId];
                Assert.All(offer.Resources.Entries.Where(r => r.IsDynamicallyReserved), r => Assert.True(
                    r.Role == offer.Role || Roles.IsStrictSubroleOf(offer.Role, r.Role), $"{r} offered to {offer.Role}"));
                Assert.True(
                    framework.Info.Has(Mesos.Core.Frameworks.FrameworkCapability.ReservationRefinement) || !offer.Resources.Entries.Any(r => r.IsRefined),
                    $"refined {offer.Resources} offered to {framework.Id} without RESERVATION_REFINEMENT");
            }

        }), iter: Iterations);

    [Fact]
    public void ARole_NeverExceedsItsLimit() =>
        Scenarios.Sample(s => Run(s, (world, _) =>
        {
            foreach (var (role, settings) in world.State.Roles)
            {
                var consumed = RoleDecisions.Consumed(world.State, role);
                foreach (var limit in settings.Limits.Entries)
                {
                    Assert.True(consumed.Scalar(limit.Name) <= limit.Scalar, $"{role} holds {consumed} above its limit {settings.Limits}");
                }
            }
        }), iter: Iterations);

    [Fact]
    public void Output_IsIdenticalForIdenticalInput() =>
        Scenarios.Sample(s => Run(s, (world, _) =>
        {
            var allocator = new HierarchicalDrfAllocator();
            Assert.Equal(allocator.Allocate(world.State, world.Now, s.Seed), allocator.Allocate(world.State, world.Now, s.Seed));
        }), iter: Iterations);

    [Fact]
    public void Explaining_GivesTheSameGrants_AndAReasonForEveryFrameworkRoleAndAgent() =>
        Scenarios.Sample(s => Run(s, (world, _) =>
        {
            var allocator = new HierarchicalDrfAllocator();
            var explained = allocator.Explain(world.State, world.Now, s.Seed, ExplainScope.All);
            Assert.Equal(allocator.Allocate(world.State, world.Now, s.Seed), explained.Grants);
            foreach (var framework in world.State.Frameworks.Values)
            {
                foreach (var role in framework.Info.Roles)
                {
                    foreach (var agent in world.State.Agents.Values)
                    {
                        Assert.Contains(explained.Reasons, r => r.FrameworkId == framework.Id && r.Role == role && r.AgentId == agent.Id);
                    }
                }
            }
        }), iter: Iterations);

    [Fact]
    public void PermutingEqualFrameworks_ChangesOnlyWhoGetsWhichOffer() =>
        Gen.Select(Gen.Int[1, 10], Gen.Int[2, 6], Gen.Long, Gen.Long).Sample((agents, frameworks, seed, otherSeed) =>
        {
            // Equal frameworks differ only by id; changing the seed reorders them, as a permutation would.
            var world = new AllocatorWorld();
            for (var i = 0; i < agents; i++)
            {
                world.AddAgent($"cpus:{i + 1};mem:{1024 * (i % 3 + 1)}");
            }

            for (var i = 0; i < frameworks; i++)
            {
                world.Subscribe("F" + i, "web");
            }

            static string Shape(IReadOnlyList<OfferGrant> grants) =>
                string.Join(",", grants.Select(g => $"{g.AgentId}/{g.Role}/{g.Resources}").Order(StringComparer.Ordinal));

            var allocator = new HierarchicalDrfAllocator();
            var one = allocator.Allocate(world.State, world.Now, seed);
            var other = allocator.Allocate(world.State, world.Now, otherSeed);
            Assert.Equal(Shape(one), Shape(other));
            Assert.Equal(agents, one.Count);
        }, iter: 200);

    [Fact]
    public void PermutingTheSubscriptionOrderOfEqualFrameworks_ChangesOnlyWhoGetsWhichOffer() =>
        Gen.Select(Gen.Int[1, 8], Gen.Int[2, 6], Gen.Int[0, 2], Gen.Long).Sample((agents, frameworks, roles, seed) =>
        {
            // The same equal frameworks subscribe in two orders: ids follow the order, so only the id-seeded tie-break
            // may differ; the offers made (agent, role, resources) must not.
            string[] roleOf = [.. Enumerable.Range(0, frameworks).Select(i => "r" + (i % (roles + 1)))];
            IReadOnlyList<OfferGrant> Run(IEnumerable<int> order)
            {
                var world = new AllocatorWorld();
                for (var i = 0; i < agents; i++)
                {
                    world.AddAgent($"cpus:{i + 2};mem:{512 * (i % 3 + 1)}");
                }

                foreach (var i in order)
                {
                    world.Subscribe("F" + i, roleOf[i]);
                }

                return new HierarchicalDrfAllocator().Allocate(world.State, world.Now, seed);
            }

            static string Shape(IReadOnlyList<OfferGrant> grants) =>
                string.Join(",", grants.Select(g => $"{g.AgentId}/{g.Role}/{g.Resources}").Order(StringComparer.Ordinal));

            var forward = Run(Enumerable.Range(0, frameworks));
            var backward = Run(Enumerable.Range(0, frameworks).Reverse());
            Assert.Equal(Shape(forward), Shape(backward));
        }, iter: 100);
}
