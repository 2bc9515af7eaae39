namespace Mesos.Core.Allocation.Cycle;

/// <summary>
/// One role in the cycle's role tree (ancestors of used roles included, as Mesos' hierarchical sorter keeps them).
/// <see cref="Allocated"/> covers the whole subtree, so a parent's share includes its children's;
/// <see cref="Own"/> is what frameworks of exactly this role hold.
/// </summary>
public sealed class RoleNode(string name, RoleNode? parent, int resources, double weight, ulong tieBreak)
{
    public string Name { get; } = name;

    public RoleNode? Parent { get; } = parent;

    public List<RoleNode> Children { get; } = [];

    public double Weight { get; } = weight;

    public ulong TieBreak { get; } = tieBreak;

    /// <summary>The dominant share (over weight) it was last put in order with; for explanations.</summary>
    public double Share { get; set; }

    public long[] Allocated { get; } = new long[resources];

    public long[] Own { get; } = new long[resources];

    /// <summary>Guaranteed quantities by resource index, or null without a guarantee.</summary>
    public long[]? Guarantee { get; set; }

    /// <summary>Limits by resource index (<see cref="long.MaxValue"/> where unlimited), or null without limits.</summary>
    public long[]? Limit { get; set; }

    /// <summary>The outermost guaranteed role at or above this one (see <see cref="GuaranteedAncestorOrSelf"/>), set once the tree is built.</summary>
    public RoleNode? GuaranteedRoot { get; set; }

    /// <summary>Frameworks that may be offered resources for this role in this cycle.</summary>
    public List<FrameworkSlot> Frameworks { get; } = [];

    public bool FrameworksNeedSorting { get; set; } = true;

    /// <summary>Frameworks whose share changed since <see cref="Frameworks"/> was last put in order.</summary>
    public List<FrameworkSlot> MovedFrameworks { get; } = [];

    /// <summary>
    /// Set once the limits of this role or an ancestor leave less than <c>--min_allocatable_resources</c>: holdings
    /// only grow during a cycle, so nothing more can be offered to it in this cycle.
    /// </summary>
    public bool LimitExhausted { get; set; }

    /// <summary>Whether this role, an ancestor or a subrole has a guarantee: only such roles take part in filling guarantees.</summary>
    public bool TouchesGuarantee { get; set; }

    /// <summary>Whether this role or a subrole has a framework to offer to.</summary>
    public bool HasClients { get; set; }

    public bool HasUnmetGuarantee
    {
        get
        {
            if (Guarantee is null)
            {
                return false;
            }

            for (var i = 0; i < Guarantee.Length; i++)
            {
                if (Guarantee[i] > Allocated[i])
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The nearest role at or above this one with a guarantee: the guarantee this role's frameworks fill.</summary>
    public RoleNode? NearestGuaranteed()
    {
        var node = this;
        while (node is not null && node.Guarantee is null)
        {
            node = node.Parent;
        }

        return node;
    }

    /// <summary>The outermost role at or above this one with a guarantee: the one whose headroom this role draws on.</summary>
    public RoleNode? GuaranteedAncestorOrSelf()
    {
        RoleNode? found = null;
        for (var node = this; node is not null; node = node.Parent)
        {
            if (node.Guarantee is not null)
            {
                found = node;
            }
        }

        return found;
    }
}
