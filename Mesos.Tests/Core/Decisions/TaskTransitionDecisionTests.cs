using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

/// <summary>Every (from, to) pair of task states, against decide and against the fold.</summary>
public sealed class TaskTransitionDecisionTests
{
    public static TheoryData<TaskState, TaskState> AllPairs()
    {
        var data = new TheoryData<TaskState, TaskState>();
        foreach (var from in Enum.GetValues<TaskState>().Where(s => s != TaskState.Unknown))
        {
            foreach (var to in Enum.GetValues<TaskState>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Update_FromEachStateToEachState_IsRecordedExactlyWhenTheStateMachineAllowsIt(TaskState from, TaskState to)
    {
        var (b, key) = TaskIn(from);
        var task = b.State.Tasks[key];
        var status = TestCluster.Status(to, b.NewUuid(), b.Now, StatusSource.Executor);
        var command = new UpdateTaskStatus(task.AgentId, key.FrameworkId, key.TaskId, status) { Principal = "a1" };
        var legal = TaskStateMachine.MayComeFrom(to, status.Source)
            && (TaskStateMachine.CanTransition(from, to) || (from == to && !TaskStateMachine.IsTerminal(from)));
        var wasReleased = TaskStateMachine.IsTerminal(from) || from == TaskState.Unreachable;
        var wouldReacquire = wasReleased && !TaskStateMachine.IsTerminal(to) && to != TaskState.Unreachable;

        var decision = b.Decide(command);

        if (legal && !wouldReacquire)
        {
            decision.ThenEvents(new TaskStatusUpdated(key.FrameworkId, key.TaskId, task.AgentId, status) { At = b.Now, Principal = "a1" });
        }
        else
        {
            decision.ThenError(DecideErrorKind.FailedPrecondition);
        }
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Apply_UpdateFromEachStateToEachState_MovesTheTaskOnlyAlongTheStateMachine(TaskState from, TaskState to)
    {
        var (b, key) = TaskIn(from);
        var task = b.State.Tasks[key];
        var status = TestCluster.Status(to, b.NewUuid(), b.Now, SourceFor(to));

        var after = ClusterFold.Apply(b.State, new TaskStatusUpdated(key.FrameworkId, key.TaskId, task.AgentId, status) { At = b.Now, Principal = "a1" });

        var expected = TaskStateMachine.CanTransition(from, to) ? to : from;
        Assert.Equal(expected, after.Tasks[key].State);
        Assert.Equal(status, after.Tasks[key].Statuses[^1]);
    }

    /// <summary>A task in <paramref name="state"/> on an active agent, still tracked (its last update unacknowledged).</summary>
    private static (ClusterBuilder Builder, TaskKey Key) TaskIn(TaskState state)
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        var framework = b.Subscribe();
        var key = b.LaunchOn(framework, agent, "t1");
        // KILLING is only reachable from RUNNING (STAGING and STARTING may only jump to RUNNING or a terminal state).
        var path = state switch
        {
            TaskState.Staging => [],
            TaskState.Killing => [TaskState.Running, TaskState.Killing],
            _ => new[] { state },
        };
        foreach (var step in path)
        {
            var uuid = b.NewUuid();
            b.Append(new TaskStatusUpdated(framework, key.TaskId, agent, TestCluster.Status(step, uuid, b.Now, SourceFor(step))) { At = b.Now, Principal = "a1" });
        }

        Assert.Equal(state, b.State.Tasks[key].State);
        return (b, key);
    }

    private static StatusSource SourceFor(TaskState state) =>
        state is TaskState.Unreachable or TaskState.GoneByOperator or TaskState.Error ? StatusSource.Master : StatusSource.Executor;
}
