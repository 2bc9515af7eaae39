using Mesos.Core.Agents;
using Mesos.Core.Allocation.Explain;
using Mesos.Core.Allocation.Sorting;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;

namespace Mesos.Core.Allocation.Cycle;

/// <summary>
/// The working state of one hierarchical DRF cycle: a snapshot of the folded state as quantities (cluster total,
/// what each role and framework holds, quota, free headroom), updated as grants are made so that later
/// choices in the same cycle see earlier ones. Everything it visits in order is either sorted or shuffled
/// with the cycle's seed, so equal inputs give equal grants.
/// </summary>
public sealed class AllocationCycle
{
    private readonly IRoleSorter sorter;
    private readonly DateTimeOffset now;
    private readonly ResourceIndex index;
    private readonly long[] total;
    private readonly long[] freeUnreserved;
    private readonly List<RoleNode> topLevel = [];
    private readonly List<RoleNode> guaranteedRoots = [];
    private readonly List<RoleNode> guaranteedWithClients = [];

    /// <summary>Sum over guaranteed roots of their unmet guarantee, by resource; kept up to date by each grant.</summary>
    private long[] unmet = [];
    private readonly AgentState[] agents;
    private readonly ResourceSet[] remaining;
    private readonly List<OfferGrant> grants = [];
    private readonly Dictionary<(int Agent, FrameworkId Framework, string Role), int> grantIndex = [];
    private readonly bool hasQuota;
    private readonly ExplainScope? scope;
    private readonly ResourceSet[] initial = [];
    private readonly Taker?[] takers = [];
    private readonly Dictionary<(int Agent, FrameworkId Framework, string Role), Outcome> outcomes = [];
    private readonly List<AllocationReason> standing = [];
    private readonly RoleTreeOrder order;
    private readonly MinimumAllocatable minimum;

    private AllocationCycle(ClusterState state, DateTimeOffset now, long seed, IRoleSorter sorter, ExplainScope? scope, MinimumAllocatable minimum)
    {
        this.sorter = sorter;
        this.minimum = minimum;
        this.now = now;
        this.scope = scope;
        index = new ResourceIndex();
        foreach (var agent in state.Agents.Values)
        {
            index.Include(agent.Info.Resources);
        }

        foreach (var settings in state.Roles.Values)
        {
            index.Include(settings.Guarantees);
            index.Include(settings.Limits);
        }

        total = new long[index.Count];
        freeUnreserved = new long[index.Count];
        agents = [.. state.Agents.Values.Where(a => a.Offerable)];
        Shuffle(agents, seed);
        remaining = new ResourceSet[agents.Length];
        for (var i = 0; i < agents.Length; i++)
        {
            index.AddTo(total, agents[i].Info.Resources, 1, unreservedOnly: false);
            remaining[i] = agents[i].Available;
            index.AddTo(freeUnreserved, remaining[i], 1, unreservedOnly: true);
        }

        if (scope is not null)
        {
            initial = [.. remaining];
            takers = new Taker?[agents.Length];
            foreach (var agent in state.Agents.Values)
            {
                if (agent.Status is not (AgentStatus.Active or AgentStatus.Removed) && scope.Covers(agent.Id))
                {
                    standing.Add(new AllocationReason(AllocationReasonKind.AgentInactive, scope.FrameworkId, null, agent.Id,
                        ResourceSet.Empty, ResourceSet.Empty, Detail: agent.Status.ToString().ToUpperInvariant()));
                }
            }
        }

        var nodes = new Dictionary<string, RoleNode>(StringComparer.Ordinal);
        RoleNode Node(string role)
        {
            if (nodes.TryGetValue(role, out var node))
            {
                return node;
            }

            var slash = role.LastIndexOf('/');
            var parent = slash > 0 && role != Roles.Default ? Node(role[..slash]) : null;
            node = new RoleNode(role, parent, index.Count, state.RoleOf(role).Weight, SeededRandom.TieBreak(seed, role));
            nodes.Add(role, node);
            (parent?.Children ?? topLevel).Add(node);
            return node;
        }

        foreach (var (role, settings) in state.Roles)
        {
            var node = Node(role);
            if (!settings.Guarantees.IsEmpty)
            {
                node.Guarantee = index.Vector(settings.Guarantees);
            }

            if (!settings.Limits.IsEmpty)
            {
                var limit = new long[index.Count];
                Array.Fill(limit, long.MaxValue);
                foreach (var resource in settings.Limits.Entries)
                {
                    if (index.TryGet(resource.Name, out var i))
                    {
                        limit[i] = resource.Scalar.Thousandths;
                    }
                }

                node.Limit = limit;
            }

            hasQuota = true;
        }

        var slots = new Dictionary<(FrameworkId, string), FrameworkSlot>();
        foreach (var framework in state.Frameworks.Values)
        {
            if (framework.Status != FrameworkStatus.Active)
            {
                if (scope is not null && scope.Covers(framework.Id))
                {
                    standing.Add(new AllocationReason(AllocationReasonKind.FrameworkInactive, framework.Id, null, scope.AgentId,
                        ResourceSet.Empty, ResourceSet.Empty, Detail: framework.Status.ToString().ToUpperInvariant()));
                }

                continue;
            }

            foreach (var role in framework.Info.Roles)
            {
                if (framework.SuppressedRoles.Contains(role) || slots.ContainsKey((framework.Id, role)))
                {
                    if (scope is not null && scope.Covers(framework.Id) && framework.SuppressedRoles.Contains(role))
                    {
                        standing.Add(new AllocationReason(AllocationReasonKind.Suppressed, framework.Id, role, scope.AgentId, ResourceSet.Empty, ResourceSet.Empty));
                    }

                    continue;
                }

                var node = Node(role);
                var slot = new FrameworkSlot(framework, new long[index.Count], SeededRandom.TieBreak(seed, framework.Id.Value));
                node.Frameworks.Add(slot);
                slots.Add((framework.Id, role), slot);
                for (var n = node; n is not null && !n.HasClients; n = n.Parent)
                {
                    n.HasClients = true;
                }
            }
        }

        foreach (var task in state.Tasks.Values)
        {
            if (!task.ResourcesReleased)
            {
                Hold(Node(task.Role), slots.GetValueOrDefault((task.Key.FrameworkId, task.Role)), index.Vector(task.Info.Resources));
            }
        }

        foreach (var offer in state.Offers.Values)
        {
            Hold(Node(offer.Role), slots.GetValueOrDefault((offer.FrameworkId, offer.Role)), index.Vector(offer.Resources));
        }

        foreach (var node in nodes.Values)
        {
            if (node.NearestGuaranteed() is not null)
            {
                for (var n = node; n is not null && !n.TouchesGuarantee; n = n.Parent)
                {
                    n.TouchesGuarantee = true;
                }
            }

            node.GuaranteedRoot = node.GuaranteedAncestorOrSelf();
            if (node.Guarantee is not null && node.HasClients)
            {
                guaranteedWithClients.Add(node);
            }

            if (node.Guarantee is not null && node.GuaranteedRoot == node)
            {
                guaranteedRoots.Add(node);
            }
        }

        unmet = new long[index.Count];
        foreach (var root in guaranteedRoots)
        {
            AddUnmet(root, 1);
        }

        order = new RoleTreeOrder(sorter, total, topLevel);
    }

    public IReadOnlyList<OfferGrant> Grants => grants;

    public bool HasUnmetGuarantees => guaranteedRoots.Count > 0 && EnumerateAll(topLevel).Any(n => n.HasUnmetGuarantee && n.HasClients);

    public static AllocationCycle Prepare(ClusterState state, DateTimeOffset now, long seed, IRoleSorter sorter, ExplainScope? scope = null) =>
        new(state, now, seed, sorter, scope, state.MinimumAllocatable);

    /// <summary>One pass over the agents: on each, roles in fairness order, and within a role its frameworks in fairness order.</summary>
    public void Run(AllocationStage stage)
    {
        for (var a = 0; a < agents.Length; a++)
        {
            // Once every guarantee with someone to fill it is met, the rest of this pass would skip every role.
            if (stage == AllocationStage.Guarantees && !guaranteedWithClients.Any(n => n.HasUnmetGuarantee))
            {
                break;
            }

            // Explaining visits every role even where nothing is left, to say so; it grants exactly the same.
            var explaining = scope is not null && scope.Covers(agents[a].Id);
            if (!explaining && !minimum.IsMet(remaining[a]))
            {
                continue;
            }

            // Mesos sorts once per agent: grants on this agent move shares for the next agent, not this one.
            order.Start(guaranteesOnly: stage == AllocationStage.Guarantees);
            while (order.Next() is { } role)
            {
                if (stage == AllocationStage.Guarantees && role.NearestGuaranteed() is not { HasUnmetGuarantee: true })
                {
                    continue;
                }

                OfferTo(a, role, stage, explaining);
                if (!explaining && !minimum.IsMet(remaining[a]))
                {
                    break;
                }
            }
        }
    }

    /// <summary>The grants so far and, when the cycle was prepared with a scope, every reason in it, in a stable order.</summary>
    public AllocationExplanation Explanation()
    {
        var reasons = new List<AllocationReason>(standing);
        foreach (var ((a, framework, role), outcome) in outcomes)
        {
            if (outcome.Granted is { IsEmpty: false } granted)
            {
                reasons.Add(new AllocationReason(AllocationReasonKind.Offered, framework, role, agents[a].Id, granted, ResourceSet.Empty));
            }
            else if (outcome.Reason is { } reason)
            {
                reasons.Add(reason);
            }
        }

        reasons.Sort((x, y) =>
        {
            var c = string.CompareOrdinal(x.FrameworkId?.Value, y.FrameworkId?.Value);
            c = c != 0 ? c : string.CompareOrdinal(x.Role, y.Role);
            c = c != 0 ? c : string.CompareOrdinal(x.AgentId?.Value, y.AgentId?.Value);
            return c != 0 ? c : x.Kind.CompareTo(y.Kind);
        });
        return new AllocationExplanation(grants, reasons);
    }

    private void OfferTo(int a, RoleNode role, AllocationStage stage, bool explaining)
    {
        // A role at its limit would get an empty candidate on every agent left: skipping it decides the same, and
        // with many limited roles first in fair-share order, it saves cutting a candidate for each on each agent.
        if (!explaining && hasQuota && LimitExhausted(role))
        {
            // Nor on any later agent: unless reasons are kept (they visit every role), later walks can leave it out.
            if (scope is null)
            {
                order.Done(role);
            }

            return;
        }

        var agent = agents[a];
        ResourceSet? candidate = null;
        foreach (var slot in FrameworksInOrder(role))
        {
            // The candidate depends on the role and what is left, not on the framework: computed again only after a grant.
            candidate ??= Capped(remaining[a].AllocatableTo(role.Name), role, stage);
            if (!minimum.IsMet(candidate))
            {
                if (explaining)
                {
                    Note(a, role, slot, () => WhyNothing(a, role, slot, stage));
                    continue;
                }

                // The caps depend on the role, not the framework: no one else in this role can get more here.
                return;
            }

            // As Mesos, a framework without RESERVATION_REFINEMENT is never offered refined reservations: it could
            // not read them in the pre-refinement format.
            var offerable = candidate;
            if (HasRefined(candidate) && !slot.Framework.Info.Has(FrameworkCapability.ReservationRefinement))
            {
                offerable = candidate.Filter(r => !r.IsRefined);
                if (!minimum.IsMet(offerable))
                {
                    if (explaining)
                    {
                        Note(a, role, slot, () => new AllocationReason(AllocationReasonKind.NeedsRefinementCapability, slot.Framework.Id, role.Name, agent.Id,
                            candidate.Filter(r => r.IsRefined), ResourceSet.Empty));
                    }

                    continue;
                }
            }

            if (slot.Framework.Filters.TryGetValue(agent.Id, out var filter) && filter.Blocks(offerable, now))
            {
                if (explaining)
                {
                    Note(a, role, slot, () => new AllocationReason(AllocationReasonKind.Filtered, slot.Framework.Id, role.Name, agent.Id,
                        filter.Refused, ResourceSet.Empty, Until: filter.Until));
                }

                continue;
            }

            if (explaining)
            {
                takers[a] = new Taker(slot.Framework.Id, role.Name, role.Share, slot.Share);
                if (scope!.Covers(slot.Framework.Id))
                {
                    var key = (a, slot.Framework.Id, role.Name);
                    var outcome = outcomes.GetValueOrDefault(key);
                    outcomes[key] = outcome with { Granted = (outcome.Granted ?? ResourceSet.Empty) + offerable };
                }
            }

            Grant(a, role, slot, offerable);
            candidate = null;
        }
    }

    private bool LimitExhausted(RoleNode role)
    {
        if (role.LimitExhausted)
        {
            return true;
        }

        var limited = false;
        for (var node = role; node is not null && !limited; node = node.Parent)
        {
            limited = node.Limit is not null;
        }

        if (!limited)
        {
            return false;
        }

        role.LimitExhausted = !minimum.IsMet((role, index), static (s, name) =>
        {
            if (!s.index.TryGet(name, out var i))
            {
                return 0;
            }

            var cap = long.MaxValue;
            for (var node = s.role; node is not null; node = node.Parent)
            {
                if (node.Limit is { } limit && limit[i] != long.MaxValue)
                {
                    cap = Math.Min(cap, Math.Max(0, limit[i] - node.Allocated[i]));
                }
            }

            return cap;
        });
        return role.LimitExhausted;
    }

    private static bool HasRefined(ResourceSet resources)
    {
        foreach (var resource in resources.Entries)
        {
            if (resource.IsRefined)
            {
                return true;
            }
        }

        return false;
    }

    private void Note(int a, RoleNode role, FrameworkSlot slot, Func<AllocationReason> reason)
    {
        if (scope!.Covers(slot.Framework.Id))
        {
            var key = (a, slot.Framework.Id, role.Name);
            outcomes[key] = outcomes.GetValueOrDefault(key) with { Reason = reason() };
        }
    }

    /// <summary>Why nothing on agent <paramref name="a"/> can go to <paramref name="role"/> now; only asked when explaining.</summary>
    private AllocationReason WhyNothing(int a, RoleNode role, FrameworkSlot slot, AllocationStage stage)
    {
        var agent = agents[a];
        AllocationReason Reason(AllocationReasonKind kind, ResourceSet resources, ResourceSet other, string? rival = null, double? share = null, double? rivalShare = null) =>
            new(kind, slot.Framework.Id, role.Name, agent.Id, resources, other, Rival: rival, Share: share, RivalShare: rivalShare,
                Detail: kind == AllocationReasonKind.BelowMinimum ? minimum.Text : null);

        var raw = remaining[a].AllocatableTo(role.Name);
        if (!minimum.IsMet(raw))
        {
            var initialForRole = initial[a].AllocatableTo(role.Name);
            if (minimum.IsMet(initialForRole) && takers[a] is { } taker)
            {
                return taker.Role == role.Name
                    ? Reason(AllocationReasonKind.TakenEarlier, raw, ResourceSet.Empty, $"framework {taker.Framework}", slot.Share, taker.FrameworkShare)
                    : Reason(AllocationReasonKind.TakenEarlier, raw, ResourceSet.Empty, $"role {taker.Role} (framework {taker.Framework})", role.Share, taker.RoleShare);
            }

            if (minimum.IsMet(initial[a]))
            {
                return Reason(AllocationReasonKind.ReservedForOtherRoles, initial[a] - initialForRole, ResourceSet.Empty);
            }

            return initialForRole.IsEmpty
                ? Reason(AllocationReasonKind.NothingFree, agent.Used, agent.Offered)
                : Reason(AllocationReasonKind.BelowMinimum, initialForRole, ResourceSet.Empty);
        }

        for (var node = role; node is not null; node = node.Parent)
        {
            if (node.Limit is not { } limit)
            {
                continue;
            }

            var reached = new List<int>();
            foreach (var resource in raw.Entries)
            {
                if (resource.Kind == ResourceKind.Scalar && index.TryGet(resource.Name, out var i) && limit[i] != long.MaxValue
                    && node.Allocated[i] >= limit[i] && !reached.Contains(i))
                {
                    reached.Add(i);
                }
            }

            if (reached.Count > 0)
            {
                return Reason(AllocationReasonKind.QuotaLimitReached, index.ToResources(limit, reached), index.ToResources(node.Allocated, reached), node.Name);
            }
        }

        var own = role.GuaranteedAncestorOrSelf();
        var waiting = guaranteedRoots.Where(r => r != own && r.HasUnmetGuarantee).ToList();
        if (waiting.Count > 0)
        {
            var needed = new long[index.Count];
            foreach (var root in waiting)
            {
                for (var i = 0; i < needed.Length; i++)
                {
                    needed[i] += Math.Max(0, root.Guarantee![i] - root.Allocated[i]);
                }
            }

            return Reason(AllocationReasonKind.HeldForGuarantees, index.ToResources(needed, [.. Enumerable.Range(0, needed.Length).Where(i => needed[i] > 0)]),
                ResourceSet.Empty, string.Join(", ", waiting.Select(r => r.Name)));
        }

        return Reason(AllocationReasonKind.BelowMinimum, Capped(raw, role, stage), ResourceSet.Empty);
    }

    private void Grant(int a, RoleNode role, FrameworkSlot slot, ResourceSet resources)
    {
        remaining[a] -= resources;
        index.AddTo(freeUnreserved, resources, -1, unreservedOnly: true);
        var held = index.Vector(resources);
        var root = role.GuaranteedRoot;
        if (root is not null)
        {
            AddUnmet(root, -1);
        }

        Hold(role, slot, held);
        if (root is not null)
        {
            AddUnmet(root, 1);
        }

        order.Moved(role);
        if (!role.FrameworksNeedSorting && !role.MovedFrameworks.Contains(slot))
        {
            role.MovedFrameworks.Add(slot);
        }

        var key = (a, slot.Framework.Id, role.Name);
        if (grantIndex.TryGetValue(key, out var existing))
        {
            grants[existing] = grants[existing] with { Resources = grants[existing].Resources + resources };
        }
        else
        {
            grantIndex.Add(key, grants.Count);
            grants.Add(new OfferGrant(slot.Framework.Id, agents[a].Id, role.Name, resources));
        }
    }

    private void AddUnmet(RoleNode root, int sign)
    {
        for (var i = 0; i < unmet.Length; i++)
        {
            unmet[i] += sign * Math.Max(0, root.Guarantee![i] - root.Allocated[i]);
        }
    }

    private static void Hold(RoleNode role, FrameworkSlot? slot, long[] amount)
    {
        ResourceIndex.Add(role.Own, amount, 1);
        for (var node = role; node is not null; node = node.Parent)
        {
            ResourceIndex.Add(node.Allocated, amount, 1);
        }

        if (slot is not null)
        {
            ResourceIndex.Add(slot.Allocated, amount, 1);
        }
    }

    /// <summary>
    /// Cuts an offer to what quota allows: no role or ancestor beyond its limit; unreserved resources kept back
    /// for other roles' unmet guarantees (the headroom); in the guarantee stage, no more than the role's own
    /// unmet guarantee of each guaranteed resource. Reserved resources count against limits, never against headroom.
    /// </summary>
    private ResourceSet Capped(ResourceSet candidate, RoleNode role, AllocationStage stage)
    {
        if (!hasQuota || candidate.IsEmpty)
        {
            return candidate;
        }

        var n = index.Count;
        Span<long> capTotal = stackalloc long[n];
        Span<long> capUnreserved = stackalloc long[n];
        capTotal.Fill(long.MaxValue);
        capUnreserved.Fill(long.MaxValue);
        for (var node = role; node is not null; node = node.Parent)
        {
            if (node.Limit is { } limit)
            {
                for (var i = 0; i < n; i++)
                {
                    if (limit[i] != long.MaxValue)
                    {
                        capTotal[i] = Math.Min(capTotal[i], Math.Max(0, limit[i] - node.Allocated[i]));
                    }
                }
            }
        }

        if (guaranteedRoots.Count > 0)
        {
            // What other roles' guarantees still need: all unmet guarantees but the one this role itself fills.
            var own = role.GuaranteedRoot;
            for (var i = 0; i < n; i++)
            {
                var required = unmet[i] - (own is null ? 0 : Math.Max(0, own.Guarantee![i] - own.Allocated[i]));
                capUnreserved[i] = Math.Max(0, freeUnreserved[i] - required);
            }
        }

        if (stage == AllocationStage.Guarantees && role.NearestGuaranteed() is { Guarantee: { } guarantee } guaranteed)
        {
            for (var i = 0; i < n; i++)
            {
                if (guarantee[i] > 0)
                {
                    capUnreserved[i] = Math.Min(capUnreserved[i], Math.Max(0, guarantee[i] - guaranteed.Allocated[i]));
                }
            }
        }

        if (!Binds(candidate, capTotal, capUnreserved))
        {
            return candidate;
        }

        var kept = new List<Resource>(candidate.Entries.Length);
        var changed = false;
        Span<long> keptByIndex = stackalloc long[n];
        foreach (var reserved in new[] { true, false })
        {
            foreach (var resource in candidate.Entries)
            {
                if (resource.IsReserved != reserved)
                {
                    continue;
                }

                if (resource.Kind != ResourceKind.Scalar || !index.TryGet(resource.Name, out var i))
                {
                    kept.Add(resource);
                    continue;
                }

                var cap = reserved ? capTotal[i] : Math.Min(capTotal[i], capUnreserved[i]);
                var take = Math.Min(resource.Scalar.Thousandths, cap);

                // A persistent volume is offered whole or not at all, as Mesos never splits one.
                take = resource.IsPersistentVolume && take != resource.Scalar.Thousandths ? 0 : take;
                capTotal[i] -= take;
                keptByIndex[i] += take;
                if (take == resource.Scalar.Thousandths)
                {
                    kept.Add(resource);
                }
                else
                {
                    changed = true;
                    if (take > 0)
                    {
                        kept.Add(Resource.OfScalar(resource.Name, new ScalarValue(take)).WithReservations(resource.Reservations));
                    }
                }
            }
        }

        if (changed && scope is null && !minimum.IsMet((index, kept: keptByIndex.ToArray()), static (s, name) => s.index.TryGet(name, out var i) ? s.kept[i] : 0))
        {
            // Too small to offer: the caller only asks whether it is, so skip building a set that would be dropped.
            return ResourceSet.Empty;
        }

        return changed ? ResourceSet.Of(kept) : candidate;
    }

    /// <summary>Whether any cap is below what the candidate holds, so that it must be cut (the common case is not).</summary>
    private bool Binds(ResourceSet candidate, Span<long> capTotal, Span<long> capUnreserved)
    {
        Span<long> reserved = stackalloc long[capTotal.Length];
        Span<long> unreserved = stackalloc long[capTotal.Length];
        foreach (var resource in candidate.Entries)
        {
            if (resource.Kind == ResourceKind.Scalar && index.TryGet(resource.Name, out var i))
            {
                (resource.IsReserved ? reserved : unreserved)[i] += resource.Scalar.Thousandths;
            }
        }

        for (var i = 0; i < capTotal.Length; i++)
        {
            if (reserved[i] + unreserved[i] > capTotal[i] || unreserved[i] > capUnreserved[i])
            {
                return true;
            }
        }

        return false;
    }

    private List<FrameworkSlot> FrameworksInOrder(RoleNode role)
    {
        if (role.FrameworksNeedSorting)
        {
            foreach (var slot in role.Frameworks)
            {
                slot.Share = sorter.Share(slot.Allocated, total, 1.0);
            }

            role.Frameworks.Sort(FrameworkOrder);
            role.FrameworksNeedSorting = false;
            role.MovedFrameworks.Clear();
        }

        // A grant moves one framework: put it back in place rather than sort them all again, which at a
        // thousand frameworks per role was most of a cycle.
        foreach (var slot in role.MovedFrameworks)
        {
            // Still sorted by the shares the frameworks were placed with, this one's included: found by search.
            var from = role.Frameworks.BinarySearch(slot, FrameworkOrder);
            if (from < 0)
            {
                throw new InvalidOperationException($"framework {slot.Framework.Id} is not where its share put it in role {role.Name}");
            }

            role.Frameworks.RemoveAt(from);
            slot.Share = sorter.Share(slot.Allocated, total, 1.0);
            role.Frameworks.Insert(~role.Frameworks.BinarySearch(slot, FrameworkOrder), slot);
        }

        role.MovedFrameworks.Clear();
        return role.Frameworks;
    }

    private static readonly Comparer<FrameworkSlot> FrameworkOrder = Comparer<FrameworkSlot>.Create((x, y) =>
    {
        var byShare = x.Share.CompareTo(y.Share);
        if (byShare != 0)
        {
            return byShare;
        }

        var byTie = x.TieBreak.CompareTo(y.TieBreak);
        return byTie != 0 ? byTie : string.CompareOrdinal(x.Framework.Id.Value, y.Framework.Id.Value);
    });

    private static IEnumerable<RoleNode> EnumerateAll(List<RoleNode> nodes) =>
        nodes.SelectMany(n => EnumerateAll(n.Children).Prepend(n));

    private static void Shuffle(AgentState[] items, long seed)
    {
        var random = new SeededRandom(seed);
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Who took from an agent last in this cycle, with the shares that put them first; only kept when explaining.</summary>
    private readonly record struct Taker(FrameworkId Framework, string Role, double RoleShare, double FrameworkShare);

    /// <summary>What one framework got on one agent for one role, or the last reason it got nothing.</summary>
    private readonly record struct Outcome(ResourceSet? Granted, AllocationReason? Reason);
}
