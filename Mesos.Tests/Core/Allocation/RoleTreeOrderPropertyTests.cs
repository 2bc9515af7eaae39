using CsCheck;
using Mesos.Core.Allocation.Cycle;
using Mesos.Core.Allocation.Sorting;
using Mesos.Core.State;

namespace Mesos.Tests.Core.Allocation;

/// <summary>
/// The incrementally kept role order against the order sorted from scratch: random role trees (with roles that
/// have both frameworks and subroles, equal shares and equal tie-breaks), random grants moving roles and their
/// ancestors, roles left out once their limits are used up, and after each batch the lazy walk must list exactly
/// what sorting every level again lists.
/// A failure prints CsCheck's seed, which replays it.
/// </summary>
public sealed class RoleTreeOrderPropertyTests
{
    private static readonly long[] Total = [24_000 * 50, 4_096_000 * 50];

    private static readonly FrameworkState AnyFramework = AnyFrameworkState();

    internal sealed record Tree(
        (int Parent, bool Frameworks, int Weight, int TieBreak, bool Guarantee, int Cpus, int Mem)[] Roles,
        (int Role, int Cpus, int Mem, bool Done)[][] Batches);

    private static readonly Gen<Tree> Trees =
        Gen.Int[1, 40].SelectMany(count => Gen.Select(
            Gen.Select(Gen.Int[-1, count - 1], Gen.Bool, Gen.Int[1, 3], Gen.Int[0, 3], Gen.Bool, Gen.Int[0, 4], Gen.Int[0, 3]).Array[count],
            Gen.Select(Gen.Int[0, count - 1], Gen.Int[0, 24_000], Gen.Int[0, 4_096_000], Gen.Int[0, 5].Select(i => i == 0)).Array[1, 5].Array[1, 12],
            (roles, batches) => new Tree(roles, batches)));

    [Fact]
    public void LazyWalk_AfterAnyGrants_IsTheOrderSortedFromScratch() =>
        Trees.Sample(tree =>
        {
            var (nodes, top) = Build(tree);
            var done = new HashSet<RoleNode>();
            var order = new RoleTreeOrder(new DrfSorter(), Total, top);
            Assert.Equal(Names(Reference(top, null, false, done)), Names(order.ToList()));
            Assert.Equal(Names(Reference(top, null, true, done)), Names(order.ToList(guaranteesOnly: true)));

            foreach (var batch in tree.Batches)
            {
                foreach (var (role, cpus, mem, isDone) in batch)
                {
                    var node = nodes[role];
                    if (node.Frameworks.Count == 0 || done.Contains(node))
                    {
                        continue;
                    }

                    if (isDone)
                    {
                        // As a role whose limit is used up: it gets nothing more, so it never moves again.
                        done.Add(node);
                        order.Done(node);
                        continue;
                    }

                    node.Own[0] += cpus;
                    node.Own[1] += mem;
                    for (var n = node; n is not null; n = n.Parent)
                    {
                        n.Allocated[0] += cpus;
                        n.Allocated[1] += mem;
                    }

                    order.Moved(node);
                }

                Assert.Equal(Names(Reference(top, null, false, done)), Names(order.ToList()));
                Assert.Equal(Names(Reference(top, null, true, done)), Names(order.ToList(guaranteesOnly: true)));
            }
        }, iter: 300);

    [Fact]
    public void Walk_UnderWay_KeepsTheOrderItStartedWith()
    {
        // Mesos sorts once per agent: a grant during a walk moves the role for the next walk, not this one.
        var tree = new Tree([(-1, true, 1, 0, false, 0, 0), (-1, true, 1, 1, false, 0, 0), (-1, true, 1, 2, false, 0, 0)], []);
        var (_, top) = Build(tree);
        var order = new RoleTreeOrder(new DrfSorter(), Total, top);
        order.Start();
        var first = order.Next()!;
        first.Own[0] += 24_000;
        first.Allocated[0] += 24_000;
        order.Moved(first);
        var rest = new List<RoleNode>();
        while (order.Next() is { } next)
        {
            rest.Add(next);
        }

        Assert.Equal(2, rest.Count);
        Assert.DoesNotContain(first, rest);
        Assert.Equal(first, order.ToList()[^1]);
    }

    private static (RoleNode[] Nodes, List<RoleNode> Top) Build(Tree tree)
    {
        var nodes = new RoleNode[tree.Roles.Length];
        var top = new List<RoleNode>();
        for (var i = 0; i < tree.Roles.Length; i++)
        {
            var (parentIndex, frameworks, weight, tieBreak, guarantee, cpus, mem) = tree.Roles[i];

            // Parents come before children; an index at or after this one makes a top-level role.
            var parent = parentIndex >= 0 && parentIndex < i ? nodes[parentIndex] : null;
            var node = new RoleNode((parent is null ? string.Empty : parent.Name + "/") + "r" + i, parent, Total.Length, weight / 2.0, (ulong)tieBreak)
            {
                TouchesGuarantee = guarantee,
            };
            nodes[i] = node;
            (parent?.Children ?? top).Add(node);
            if (frameworks)
            {
                node.Frameworks.Add(new FrameworkSlot(AnyFramework, new long[Total.Length], 0));
                for (var n = node; n is not null; n = n.Parent)
                {
                    n.HasClients = true;
                }

                node.Own[0] = cpus * 6_000L;
                node.Own[1] = mem * 1_024_000L;
                for (var n = node; n is not null; n = n.Parent)
                {
                    n.Allocated[0] += node.Own[0];
                    n.Allocated[1] += node.Own[1];
                }
            }
        }

        return (nodes, top);
    }

    /// <summary>
    /// Every level sorted from scratch, then walked depth first, without the roles that are done; subtrees of roles
    /// not touching a guarantee pruned if asked.
    /// </summary>
    private static List<RoleNode> Reference(List<RoleNode> siblings, RoleNode? self, bool guaranteesOnly, HashSet<RoleNode> done)
    {
        var sorter = new DrfSorter();
        var level = new List<(RoleNode Node, bool IsSelf, double Share)>();
        if (self is not null && self.Frameworks.Count > 0)
        {
            level.Add((self, true, sorter.Share(self.Own, Total, self.Weight)));
        }

        level.AddRange(siblings.Where(n => n.HasClients).Select(n => (n, false, sorter.Share(n.Allocated, Total, n.Weight))));
        level.Sort((x, y) =>
        {
            var c = x.Share.CompareTo(y.Share);
            c = c != 0 ? c : x.Node.TieBreak.CompareTo(y.Node.TieBreak);
            c = c != 0 ? c : x.IsSelf != y.IsSelf ? (x.IsSelf ? -1 : 1) : 0;
            return c != 0 ? c : string.CompareOrdinal(x.Node.Name, y.Node.Name);
        });
        var order = new List<RoleNode>();
        foreach (var (node, isSelf, _) in level)
        {
            if (guaranteesOnly && !node.TouchesGuarantee)
            {
                continue;
            }

            if (isSelf || node.Children.Count == 0)
            {
                if (!done.Contains(node))
                {
                    order.Add(node);
                }
            }
            else
            {
                order.AddRange(Reference(node.Children, node, guaranteesOnly, done));
            }
        }

        return order;
    }

    private static List<string> Names(List<RoleNode> roles) => [.. roles.Select(r => r.Name)];

    private static FrameworkState AnyFrameworkState()
    {
        var world = new AllocatorWorld();
        world.Subscribe("f", "*");
        return world.State.Frameworks.Values.Single();
    }
}
