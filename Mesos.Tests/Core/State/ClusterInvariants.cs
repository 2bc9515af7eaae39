using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;

namespace Mesos.Tests.Core.State;

/// <summary>Safety properties of the folded state that must hold after every command, whatever the command was.</summary>
public static class ClusterInvariants
{
    public static void Check(ClusterState before, ClusterState after, MasterCommand command, Decision decision)
    {
        var offersOn = after.Offers.Values.ToLookup(o => o.AgentId);
        var tasksOn = after.Tasks.Values.Where(t => !t.ResourcesReleased).ToLookup(t => t.AgentId);
        var executorsOn = after.Executors.Values.ToLookup(x => x.AgentId);
        foreach (var agent in after.Agents.Values)
        {
            var offers = offersOn[agent.Id].Select(o => o.Resources).ToList();
            // Custom executors hold their own resources beside their tasks'.
            var tasks = tasksOn[agent.Id].Select(t => t.Info.Resources).Concat(executorsOn[agent.Id].Select(x => x.Info.Resources)).ToList();
            Same(Sum(offers), agent.Offered, $"agent {agent.Id}: Offered is not the sum of its offers");
            Same(Sum(tasks), agent.Used, $"agent {agent.Id}: Used is not the sum of its tasks' resources");
            Disjoint([.. offers, .. tasks], $"agent {agent.Id}: a resource is both offered and used, or offered or used twice");
            Assert.True(
                agent.Info.Resources.Contains(agent.Used + agent.Offered),
                $"agent {agent.Id}: used {agent.Used} plus offered {agent.Offered} exceed its total {agent.Info.Resources}");
        }

        foreach (var framework in after.Frameworks.Values)
        {
            var offers = after.Offers.Values.Where(o => o.FrameworkId == framework.Id).ToList();
            var tasks = after.TasksOf(framework.Id).Where(t => !t.ResourcesReleased)
                .Select(t => (t.AgentId, t.Info.Resources))
                .Concat(after.Executors.Values.Where(x => x.Key.FrameworkId == framework.Id).Select(x => (x.AgentId, x.Info.Resources)))
                .ToList();
            Same(Sum(offers.Select(o => o.Resources)), framework.Offered, $"framework {framework.Id}: Offered is not the sum of its offers");
            Same(Sum(tasks.Select(t => t.Resources)), framework.Used, $"framework {framework.Id}: Used is not the sum of its unreleased tasks and executors");
            foreach (var agentId in offers.Select(o => o.AgentId).Concat(tasks.Select(t => t.AgentId)).Concat(framework.UsedOn.Keys).Concat(framework.OfferedOn.Keys).Distinct())
            {
                Same(Sum(offers.Where(o => o.AgentId == agentId).Select(o => o.Resources)), framework.OfferedOn.GetValueOrDefault(agentId, ResourceSet.Empty), $"framework {framework.Id}: Offered on {agentId} is not the sum of its offers there");
                Same(Sum(tasks.Where(t => t.AgentId == agentId).Select(t => t.Resources)), framework.UsedOn.GetValueOrDefault(agentId, ResourceSet.Empty), $"framework {framework.Id}: Used on {agentId} is not the sum of its unreleased tasks and executors there");
            }

            Assert.DoesNotContain(framework.UsedOn.Values, r => r.IsEmpty);
            Assert.DoesNotContain(framework.OfferedOn.Values, r => r.IsEmpty);
        }

        foreach (var offer in after.Offers.Values)
        {
            Assert.True(after.Agents.TryGetValue(offer.AgentId, out var agent) && agent.Status == AgentStatus.Active, $"offer {offer.Id} is on an agent that is not active");
            Assert.True(after.Frameworks.TryGetValue(offer.FrameworkId, out var framework) && framework.Status == FrameworkStatus.Active, $"offer {offer.Id} is held by a framework that is not active");
            Assert.Contains(offer.Role, framework!.Info.Roles);
            Assert.True(agent!.Info.Resources.AllocatableTo(offer.Role).Contains(offer.Resources), $"offer {offer.Id} holds {offer.Resources}, not all allocatable to {offer.Role}");
        }

        foreach (var task in after.Tasks.Values)
        {
            Assert.True(after.Agents.ContainsKey(task.AgentId), $"task {task.Key} runs on an unknown agent");
            Assert.True(after.Frameworks.ContainsKey(task.Key.FrameworkId), $"task {task.Key} belongs to no framework");
            Assert.False(task.IsTerminal && task.PendingUuid is null, $"task {task.Key} is terminal with nothing to acknowledge but still active");
            LegalHistory(task);
        }

        if (command is RunAllocation && !decision.IsError)
        {
            foreach (var perAgent in decision.Events.OfType<OfferMade>().GroupBy(o => o.AgentId))
            {
                var grants = perAgent.Select(o => o.Resources).ToList();
                Disjoint(grants, $"agent {perAgent.Key}: one cycle offered a resource twice");
                Assert.True(before.Agents[perAgent.Key].Available.Contains(Sum(grants)), $"agent {perAgent.Key}: the cycle offered more than was available");
            }
        }
    }

    /// <summary>Completed tasks never change, so their histories are checked once, at the end of a run.</summary>
    public static void CheckCompleted(ClusterState state)
    {
        foreach (var task in state.Frameworks.Values.Concat(state.CompletedFrameworks).SelectMany(f => f.CompletedTasks))
        {
            Assert.True(task.IsTerminal, $"completed task {task.Key} is {task.State}");
            Assert.Null(task.PendingUuid);
            LegalHistory(task);
        }
    }

    /// <summary>The recorded statuses walk the state machine from STAGING: every step is a legal transition (or a repeated non-terminal state).</summary>
    public static void LegalHistory(TaskRecord task)
    {
        Assert.Equal(TaskState.Staging, task.Statuses[0].State);
        var current = TaskState.Staging;
        foreach (var status in task.Statuses.Skip(1))
        {
            var next = status.State;
            Assert.True(
                TaskStateMachine.CanTransition(current, next) || (current == next && !TaskStateMachine.IsTerminal(current)),
                $"task {task.Key}: illegal transition {current} -> {next} in its history [{string.Join(", ", task.Statuses.Select(s => s.State))}]");
            current = next;
        }

        Assert.Equal(current, task.State);
    }

    public static ResourceSet Sum(IEnumerable<ResourceSet> sets) => ResourceSet.Of(sets.SelectMany(r => r.Entries));

    private static void Same(ResourceSet expected, ResourceSet actual, string what) =>
        Assert.True(expected.Equals(actual), $"{what}: expected {expected}, is {actual}");

    /// <summary>No range value or set item is in two of the sets (sums of scalars are checked against totals).</summary>
    private static void Disjoint(IReadOnlyList<ResourceSet> sets, string what)
    {
        foreach (var slot in sets.SelectMany(r => r.Entries).Where(r => r.Kind != ResourceKind.Scalar).GroupBy(r => (r.Name, r.Role, r.Kind)))
        {
            var parts = slot.ToList();
            var overlap = slot.Key.Kind == ResourceKind.Ranges
                ? parts.Aggregate(0UL, (n, r) => n + r.Ranges.Count) != parts.Aggregate(RangeSet.Empty, (u, r) => u.Union(r.Ranges)).Count
                : parts.Sum(r => r.Items.Items.Length) != parts.Aggregate(ItemSet.Empty, (u, r) => u.Union(r.Items)).Items.Length;
            Assert.False(overlap, $"{what}: {string.Join(" and ", parts)}");
        }
    }
}
