using Mesos.Core.Allocation.Sorting;

namespace Mesos.Core.Allocation.Cycle;

/// <summary>
/// The role tree in fairness order, as Mesos' hierarchical sorter: on each level, siblings by share (over weight),
/// then the cycle's tie-break, then name; a role with frameworks and subroles takes part among its subroles with its
/// own holdings (Mesos' virtual leaf). The order of the roles with frameworks is the depth-first walk of the levels.
/// <para>
/// Kept sorted incrementally: a grant moves one role and its ancestors, and only their entries are taken out and put
/// back in (each level is a balanced tree ordered by the shares its entries were placed with, so that a role going
/// from first to last among a thousand costs a few comparisons, not a shift of the whole level). A walk reads the
/// levels as they are, lazily, so an agent whose resources go to the first roles costs a few steps rather than a
/// pass over every role; sorting the whole tree again, or listing it, per agent was most of a cycle with a thousand
/// roles.
/// </para>
/// </summary>
public sealed class RoleTreeOrder
{
    private static readonly Comparer<Entry> Order = Comparer<Entry>.Create((x, y) =>
    {
        var byShare = x.Share.CompareTo(y.Share);
        if (byShare != 0)
        {
            return byShare;
        }

        var byTie = x.Node.TieBreak.CompareTo(y.Node.TieBreak);
        return byTie != 0 ? byTie : x.IsSelf != y.IsSelf ? (x.IsSelf ? -1 : 1) : string.CompareOrdinal(x.Node.Name, y.Node.Name);
    });

    private readonly IRoleSorter sorter;
    private readonly long[] total;
    private readonly List<RoleNode> topLevel;
    private readonly Dictionary<RoleNode, Entry> subtreeEntries = [];
    private readonly Dictionary<RoleNode, Entry> selfEntries = [];
    private readonly HashSet<RoleNode> moved = [];
    private readonly List<RoleNode> done = [];
    private SortedSet<Entry>.Enumerator[] walk = new SortedSet<Entry>.Enumerator[4];
    private int depth;
    private SortedSet<Entry>? top;
    private bool guaranteesOnly;

    /// <param name="sorter">The fairness policy that turns holdings into a share.</param>
    /// <param name="total">The cluster's total by resource index, as shares are taken of it.</param>
    /// <param name="topLevel">The roles without a parent; the tree is read through <see cref="RoleNode.Children"/>.</param>
    public RoleTreeOrder(IRoleSorter sorter, long[] total, List<RoleNode> topLevel)
    {
        this.sorter = sorter;
        this.total = total;
        this.topLevel = topLevel;
    }

    /// <summary>
    /// The holdings of <paramref name="role"/> (and so of its ancestors) changed; it is put back in place at the
    /// next <see cref="Start"/>, so that a walk under way keeps the order it began with (Mesos sorts once per agent).
    /// </summary>
    public void Moved(RoleNode role) => moved.Add(role);

    /// <summary>
    /// Nothing more can go to <paramref name="role"/> in this cycle (its limits are used up, and holdings only grow):
    /// later walks leave it out, and a parent left with nothing to walk too. Applied at the next <see cref="Start"/>,
    /// as moves are. The others keep their order, so every walk visits the same roles as before but this one.
    /// </summary>
    public void Done(RoleNode role) => done.Add(role);

    /// <summary>Puts moved roles back in place (the first time, sorts the tree) and starts a walk from the first role.</summary>
    /// <param name="guaranteesOnly">
    /// Skip subtrees where no role, nor any ancestor, has a guarantee (<see cref="RoleNode.TouchesGuarantee"/>):
    /// no role there can fill one.
    /// </param>
    public void Start(bool guaranteesOnly = false)
    {
        if (top is null)
        {
            top = Level(topLevel, self: null);
            moved.Clear();
        }
        else if (moved.Count > 0)
        {
            foreach (var role in moved)
            {
                if (selfEntries.TryGetValue(role, out var self))
                {
                    Reposition(self);
                }

                for (var node = role; node is not null; node = node.Parent)
                {
                    if (subtreeEntries.TryGetValue(node, out var entry))
                    {
                        Reposition(entry);
                    }
                }
            }

            moved.Clear();
        }

        foreach (var role in done)
        {
            Remove(selfEntries.GetValueOrDefault(role) ?? subtreeEntries.GetValueOrDefault(role));
        }

        done.Clear();
        this.guaranteesOnly = guaranteesOnly;
        walk[0] = top.GetEnumerator();
        depth = 1;
    }

    /// <summary>The next role with frameworks in fairness order, or null at the end of the walk.</summary>
    public RoleNode? Next()
    {
        while (depth > 0)
        {
            if (!walk[depth - 1].MoveNext())
            {
                depth--;
                continue;
            }

            var entry = walk[depth - 1].Current;
            if (guaranteesOnly && !entry.Node.TouchesGuarantee)
            {
                continue;
            }

            if (entry.Below is { } below)
            {
                if (depth == walk.Length)
                {
                    Array.Resize(ref walk, depth * 2);
                }

                walk[depth++] = below.GetEnumerator();
                continue;
            }

            return entry.Node;
        }

        return null;
    }

    /// <summary>The whole order, walked from the start (for tests and explanations; allocation walks it lazily).</summary>
    public List<RoleNode> ToList(bool guaranteesOnly = false)
    {
        Start(guaranteesOnly);
        var roles = new List<RoleNode>();
        while (Next() is { } role)
        {
            roles.Add(role);
        }

        return roles;
    }

    private SortedSet<Entry> Level(List<RoleNode> siblings, RoleNode? self)
    {
        var level = new SortedSet<Entry>(Order);
        if (self is not null && self.Frameworks.Count > 0)
        {
            var entry = new Entry(self, true, level);
            selfEntries.Add(self, entry);
            SetShare(entry);
            level.Add(entry);
        }

        foreach (var node in siblings)
        {
            if (node.HasClients)
            {
                var entry = new Entry(node, false, level);
                subtreeEntries.Add(node, entry);
                SetShare(entry);
                level.Add(entry);
            }
        }

        foreach (var entry in level)
        {
            if (!entry.IsSelf && entry.Node.Children.Count > 0)
            {
                entry.Below = Level(entry.Node.Children, entry.Node);
            }
        }

        return level;
    }

    private void SetShare(Entry entry)
    {
        entry.Share = sorter.Share(entry.IsSelf ? entry.Node.Own : entry.Node.Allocated, total, entry.Node.Weight);
        if (entry.IsSelf || entry.Node.Children.Count == 0)
        {
            entry.Node.Share = entry.Share;
        }
    }

    private void Remove(Entry? entry)
    {
        while (entry is { Removed: false })
        {
            entry.Removed = true;
            var level = entry.Level;
            Take(entry);
            if (level.Count > 0)
            {
                return;
            }

            // The level was a parent's subroles (and its own frameworks): with none left, the parent's subtree goes too.
            entry = entry.IsSelf ? subtreeEntries.GetValueOrDefault(entry.Node) : entry.Node.Parent is { } parent ? subtreeEntries.GetValueOrDefault(parent) : null;
        }
    }

    private static void Take(Entry entry)
    {
        // Each level is ordered by the shares its entries were placed with, this one's included: found by them.
        if (!entry.Level.Remove(entry))
        {
            throw new InvalidOperationException($"role {entry.Node.Name} is not where its share put it");
        }
    }

    private void Reposition(Entry entry)
    {
        if (entry.Removed)
        {
            return;
        }

        Take(entry);
        SetShare(entry);
        entry.Level.Add(entry);
    }

    /// <summary>A role in one level: its subtree among its siblings, or its own holdings among its subroles.</summary>
    private sealed class Entry(RoleNode node, bool isSelf, SortedSet<Entry> level)
    {
        public RoleNode Node { get; } = node;

        public bool IsSelf { get; } = isSelf;

        public SortedSet<Entry> Level { get; } = level;

        /// <summary>The level of this role's subroles (and its own virtual leaf); null for an entry that is one role.</summary>
        public SortedSet<Entry>? Below { get; set; }

        /// <summary>Left out of the walk for the rest of the cycle (see <see cref="Done"/>).</summary>
        public bool Removed { get; set; }

        public double Share { get; set; }
    }
}
