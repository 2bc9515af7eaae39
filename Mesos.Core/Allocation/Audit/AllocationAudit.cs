using Mesos.Core.Events;
using Mesos.Core.State;

namespace Mesos.Core.Allocation.Audit;

/// <summary>
/// Re-folds a log and, at every recorded <see cref="AllocationCycleRan"/>, runs the allocator again on the state
/// right before it, with the recorded time and seed, and compares its grants with the <see cref="OfferMade"/>
/// events that follow, in order. Fed one event at a time so that a log of any size streams through it.
/// </summary>
public sealed class AllocationAudit(IAllocator allocator)
{
    private ClusterState state = ClusterState.Empty;
    private PendingCycle? pending;
    private int cyclesChecked;
    private long eventsRead;
    private AuditMismatch? mismatch;

    public bool HasMismatch => mismatch is not null;

    /// <summary>The fold of every event observed so far (what a stored snapshot at this position must equal).</summary>
    public ClusterState State => state;

    public void Observe(long position, ClusterEvent @event)
    {
        eventsRead++;
        if (mismatch is not null)
        {
            return;
        }

        if (pending is not null)
        {
            if (@event is OfferMade offer && pending.Recorded.Count < pending.Ran.OffersMade)
            {
                pending.Recorded.Add(offer);
            }
            else
            {
                Close();
            }

            if (pending is not null && pending.Recorded.Count == pending.Ran.OffersMade)
            {
                Close();
            }
        }

        if (@event is AllocationCycleRan ran && mismatch is null)
        {
            pending = new PendingCycle(position, ran, allocator.Allocate(state, ran.At, ran.Seed), []);
            if (ran.OffersMade == 0)
            {
                Close();
            }
        }

        state = ClusterFold.Apply(state, @event);
    }

    public AuditResult Finish()
    {
        if (pending is not null)
        {
            Close();
        }

        return new AuditResult(cyclesChecked, eventsRead, mismatch);
    }

    private void Close()
    {
        var cycle = pending!;
        pending = null;
        cyclesChecked++;
        if (Compare(cycle) is { } difference)
        {
            mismatch = new AuditMismatch(cycle.Ran.Cycle, cycle.Position, cycle.Ran.At, cycle.Ran.Seed, difference);
        }
    }

    private static string? Compare(PendingCycle cycle)
    {
        var expected = cycle.Expected;
        var recorded = cycle.Recorded;
        if (recorded.Count != cycle.Ran.OffersMade)
        {
            return $"the cycle says {cycle.Ran.OffersMade} offers were made but {recorded.Count} follow it";
        }

        for (var i = 0; i < Math.Min(expected.Count, recorded.Count); i++)
        {
            var e = expected[i];
            var r = recorded[i];
            if (e.FrameworkId != r.FrameworkId || e.AgentId != r.AgentId || e.Role != r.Role || !e.Resources.Equals(r.Resources))
            {
                return $"offer {i + 1} ({r.OfferId}): recorded {Describe(r.FrameworkId.Value, r.AgentId.Value, r.Role, r.Resources.ToString())}, "
                    + $"re-run gives {Describe(e.FrameworkId.Value, e.AgentId.Value, e.Role, e.Resources.ToString())}";
            }
        }

        if (expected.Count != recorded.Count)
        {
            return expected.Count > recorded.Count
                ? $"recorded {recorded.Count} offers, re-run gives {expected.Count}; the first missing is {Describe(expected[recorded.Count].FrameworkId.Value, expected[recorded.Count].AgentId.Value, expected[recorded.Count].Role, expected[recorded.Count].Resources.ToString())}"
                : $"recorded {recorded.Count} offers, re-run gives {expected.Count}; the first extra is {recorded[expected.Count].OfferId}";
        }

        return null;
    }

    private static string Describe(string framework, string agent, string role, string resources) =>
        $"{resources} of agent {agent} to framework {framework} for role {role}";

    private sealed record PendingCycle(long Position, AllocationCycleRan Ran, IReadOnlyList<OfferGrant> Expected, List<OfferMade> Recorded);
}
