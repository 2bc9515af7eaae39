using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Tests.Core.Decisions;

/// <summary>MARK_AGENT_GONE: given events, when the operator's command, then events or an error.</summary>
public sealed class MarkAgentGoneTests
{
    [Fact]
    public void Gone_EndsEveryLiveTask_GoneByOperatorForPartitionAware_LostForTheOthers_ThenRemovesTheAgent()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var aware = b.Subscribe(TestCluster.Framework("aware", capabilities: FrameworkCapability.PartitionAware));
        var legacy = b.Subscribe(TestCluster.Framework("legacy"));
        var running = b.RunningTask(aware, agent, "t1");
        var staging = b.LaunchOn(legacy, agent, "t2");
        var finished = b.RunningTask(aware, agent, "t3");
        b.UpdateAndAck(finished, TaskState.Finished);

        DecideSpec.When(b, new MarkAgentGone(agent) { Principal = "operator" }).ThenEvents(
            new TaskStatusUpdated(aware, running.TaskId, agent, new TaskStatus(
                TaskState.GoneByOperator, TaskReason.AgentRemovedByOperator, "Agent has been marked gone", StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "operator" },
            new TaskStatusUpdated(legacy, staging.TaskId, agent, new TaskStatus(
                TaskState.Lost, TaskReason.AgentRemovedByOperator, "Agent has been marked gone", StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "operator" },
            new AgentRemoved(agent, AgentRemoved.MarkedGone) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void Gone_OfAnUnreachableAgent_EndsItsUnreachableTasks()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var aware = b.Subscribe(TestCluster.Framework("aware", capabilities: FrameworkCapability.PartitionAware));
        var task = b.RunningTask(aware, agent, "t1");
        b.Append(new AgentMarkedUnreachable(agent) { At = b.Now, Principal = "timer" });
        b.Append(new TaskStatusUpdated(aware, task.TaskId, agent, new TaskStatus(
            TaskState.Unreachable, TaskReason.AgentRemoved, "unreachable", StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "timer" });

        var events = DecideSpec.When(b, new MarkAgentGone(agent) { Principal = "operator" }).Events;

        Assert.Equal(TaskState.GoneByOperator, Assert.IsType<TaskStatusUpdated>(events[0]).Status.State);
        Assert.IsType<AgentRemoved>(events[1]);
        var after = b.Append(events).State;
        Assert.Equal(AgentStatus.Removed, after.Agents[agent].Status);
        Assert.False(after.Tasks.TryGetValue(task, out var live) && !live.IsTerminal);
    }

    [Fact]
    public void Gone_Twice_AppendsNothing_AndTheGoneAgentCannotReregister()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        b.Append(DecideSpec.When(b, new MarkAgentGone(agent) { Principal = "operator" }).Events);

        DecideSpec.When(b, new MarkAgentGone(agent) { Principal = "operator" }).ThenNothing();
        DecideSpec.When(b, new ReregisterAgent(agent, b.State.Agents[agent].Info, []) { Principal = "a1" })
            .ThenError(DecideErrorKind.FailedPrecondition, agent.Value);
    }

    [Fact]
    public void Gone_OfAnAgentNeverAdmitted_IsNotFound()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1");

        DecideSpec.When(b, new MarkAgentGone(new AgentId("m1-S99")) { Principal = "operator" })
            .ThenError(DecideErrorKind.NotFound, "Agent 'm1-S99' not found");
    }
}
