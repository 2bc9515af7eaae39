using Mesos.Core.Tasks;

namespace Mesos.Tests.Core.Tasks;

/// <summary>
/// The task state machine against mesos-reference.md section 7, written out from the document rather than from the
/// code. Reading of the section, row by row:
/// <list type="bullet">
/// <item>STAGING → STARTING → RUNNING → KILLING → {FINISHED|FAILED|KILLED}; KILLING is optional (only with the
/// TASK_KILLING_STATE capability), so RUNNING may end directly.</item>
/// <item>STAGING/STARTING may jump directly to RUNNING or any terminal state (so not to KILLING).</item>
/// <item>Any non-terminal → LOST, DROPPED, ERROR or KILLED (master/agent); GONE and GONE_BY_OPERATOR are the
/// partition-aware forms of LOST (sections 6.2, 6.4) and so may end any non-terminal state too.</item>
/// <item>Any non-terminal → UNREACHABLE, and UNREACHABLE → the state the returning agent reports (previous,
/// RUNNING "etc.", or how the task ended meanwhile), GONE_BY_OPERATOR, LOST or GONE.</item>
/// <item>Terminal states are sticky, except LOST → RUNNING. STAGING is never a target; UNKNOWN is never stored, so
/// it is neither a target nor a state a task can be in.</item>
/// <item>A non-terminal state may be reported again (a RUNNING update with a new health or check status,
/// REASON_TASK_HEALTH_CHECK_STATUS_UPDATED / REASON_TASK_CHECK_STATUS_UPDATED in section 1.5).</item>
/// </list>
/// </summary>
public sealed class TaskStateMachineTests
{
    /// <summary>The column (and row) order of <see cref="Legal"/>.</summary>
    private static readonly TaskState[] Order =
    [
        TaskState.Staging, TaskState.Starting, TaskState.Running, TaskState.Killing,
        TaskState.Finished, TaskState.Failed, TaskState.Killed, TaskState.Error, TaskState.Lost, TaskState.Dropped,
        TaskState.Unreachable, TaskState.Gone, TaskState.GoneByOperator, TaskState.Unknown,
    ];

    /// <summary>Row = from, column = to; X = legal, . = illegal.</summary>
    private static readonly string[] Legal =
    [
        //                  STG STA RUN KLG FIN FAI KLD ERR LST DRP UNR GON GBO UNK
        /* STAGING      */ " .   X   X   .   X   X   X   X   X   X   X   X   X   . ",
        /* STARTING     */ " .   X   X   .   X   X   X   X   X   X   X   X   X   . ",
        /* RUNNING      */ " .   .   X   X   X   X   X   X   X   X   X   X   X   . ",
        /* KILLING      */ " .   .   .   X   X   X   X   X   X   X   X   X   X   . ",
        /* FINISHED     */ " .   .   .   .   .   .   .   .   .   .   .   .   .   . ",
        /* FAILED       */ " .   .   .   .   .   .   .   .   .   .   .   .   .   . ",
        /* KILLED       */ " .   .   .   .   .   .   .   .   .   .   .   .   .   . ",
        /* ERROR        */ " .   .   .   .   .   .   .   .   .   .   .   .   .   . ",
        /* LOST         */ " .   .   X   .   .   .   .   .   .   .   .   .   .   . ",
        /* DROPPED      */ " .   .   .   .   .   .   .   .   .   .   .   .   .   . ",
        /* UNREACHABLE  */ " .   X   X   X   X   X   X   X   X   X   X   X   X   . ",
        /* GONE         */ " .   .   .   .   .   .   .   .   .   .   .   .   .   . ",
        /* GONE_BY_OP   */ " .   .   .   .   .   .   .   .   .   .   .   .   .   . ",
        /* UNKNOWN      */ " .   .   .   .   .   .   .   .   .   .   .   .   .   . ",
    ];

    /// <summary>Who may produce each state ("Produced by" in section 7, plus the master's re-registration updates of 6.4).</summary>
    private static readonly Dictionary<TaskState, StatusSource[]> Producers = new()
    {
        [TaskState.Staging] = [],
        [TaskState.Starting] = [StatusSource.Executor, StatusSource.Master],
        [TaskState.Running] = [StatusSource.Executor, StatusSource.Master],
        [TaskState.Killing] = [StatusSource.Executor, StatusSource.Master],
        [TaskState.Finished] = [StatusSource.Executor],
        [TaskState.Failed] = [StatusSource.Executor, StatusSource.Agent],
        [TaskState.Killed] = [StatusSource.Executor, StatusSource.Agent, StatusSource.Master],
        [TaskState.Error] = [StatusSource.Master],
        [TaskState.Lost] = [StatusSource.Agent, StatusSource.Master],
        [TaskState.Dropped] = [StatusSource.Agent, StatusSource.Master],
        [TaskState.Unreachable] = [StatusSource.Master],
        [TaskState.Gone] = [StatusSource.Agent, StatusSource.Master],
        [TaskState.GoneByOperator] = [StatusSource.Master],
        [TaskState.Unknown] = [],
    };

    public static TheoryData<TaskState, TaskState, bool> AllPairs()
    {
        var data = new TheoryData<TaskState, TaskState, bool>();
        for (var from = 0; from < Order.Length; from++)
        {
            var marks = Legal[from].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var to = 0; to < Order.Length; to++)
            {
                data.Add(Order[from], Order[to], marks[to] == "X");
            }
        }

        return data;
    }

    public static TheoryData<TaskState, StatusSource, bool> AllProducers()
    {
        var data = new TheoryData<TaskState, StatusSource, bool>();
        foreach (var state in Enum.GetValues<TaskState>())
        {
            foreach (var source in Enum.GetValues<StatusSource>())
            {
                data.Add(state, source, Producers[state].Contains(source));
            }
        }

        return data;
    }

    [Fact]
    public void TheExpectedTable_CoversEveryStateOnce()
    {
        Assert.Equal(14, Enum.GetValues<TaskState>().Length);
        Assert.Equal(Enum.GetValues<TaskState>().Order(), Order.Order());
        Assert.Equal(Order.Length, Legal.Length);
        Assert.All(Legal, row => Assert.Equal(Order.Length, row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.Equal(Enum.GetValues<TaskState>().Order(), Producers.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void CanTransition_FollowsSection7(TaskState from, TaskState to, bool legal) =>
        Assert.Equal(legal, TaskStateMachine.CanTransition(from, to));

    [Fact]
    public void IsTerminal_IsExactlyTheEightTerminalStates() =>
        Assert.Equal(
            [TaskState.Finished, TaskState.Failed, TaskState.Killed, TaskState.Lost, TaskState.Error, TaskState.Dropped, TaskState.Gone, TaskState.GoneByOperator],
            Enum.GetValues<TaskState>().Where(TaskStateMachine.IsTerminal).Order());

    [Fact]
    public void Staging_IsNeverATarget() =>
        Assert.All(Enum.GetValues<TaskState>(), from => Assert.False(TaskStateMachine.CanTransition(from, TaskState.Staging)));

    [Fact]
    public void Unknown_IsNeverStored()
    {
        Assert.All(Enum.GetValues<TaskState>(), from => Assert.False(TaskStateMachine.CanTransition(from, TaskState.Unknown)));
        Assert.All(Enum.GetValues<TaskState>(), to => Assert.False(TaskStateMachine.CanTransition(TaskState.Unknown, to)));
        Assert.All(Enum.GetValues<StatusSource>(), source => Assert.False(TaskStateMachine.MayComeFrom(TaskState.Unknown, source)));
    }

    [Fact]
    public void TerminalStates_AreSticky_ExceptLostBackToRunning()
    {
        foreach (var from in Enum.GetValues<TaskState>().Where(TaskStateMachine.IsTerminal))
        {
            foreach (var to in Enum.GetValues<TaskState>())
            {
                Assert.Equal(from == TaskState.Lost && to == TaskState.Running, TaskStateMachine.CanTransition(from, to));
            }
        }
    }

    [Fact]
    public void Lost_MayComeBackRunning() =>
        Assert.True(TaskStateMachine.CanTransition(TaskState.Lost, TaskState.Running));

    [Fact]
    public void EveryStoredNonTerminalState_MayEndInAnyTerminalStateOrBecomeUnreachable()
    {
        var live = new[] { TaskState.Staging, TaskState.Starting, TaskState.Running, TaskState.Killing, TaskState.Unreachable };
        foreach (var from in live)
        {
            Assert.True(TaskStateMachine.CanTransition(from, TaskState.Unreachable), $"{from} -> Unreachable");
            foreach (var to in Enum.GetValues<TaskState>().Where(TaskStateMachine.IsTerminal))
            {
                Assert.True(TaskStateMachine.CanTransition(from, to), $"{from} -> {to}");
            }
        }
    }

    [Theory]
    [InlineData(TaskState.Staging, TaskState.Starting, TaskState.Running, TaskState.Killing, TaskState.Killed)]
    [InlineData(TaskState.Staging, TaskState.Running, TaskState.Finished)]
    [InlineData(TaskState.Staging, TaskState.Starting, TaskState.Failed)]
    [InlineData(TaskState.Staging, TaskState.Error)]
    [InlineData(TaskState.Staging, TaskState.Running, TaskState.Running, TaskState.Finished)]
    [InlineData(TaskState.Staging, TaskState.Running, TaskState.Unreachable, TaskState.Running, TaskState.Finished)]
    [InlineData(TaskState.Staging, TaskState.Running, TaskState.Unreachable, TaskState.GoneByOperator)]
    [InlineData(TaskState.Staging, TaskState.Running, TaskState.Lost, TaskState.Running, TaskState.Finished)]
    [InlineData(TaskState.Staging, TaskState.Running, TaskState.Killing, TaskState.Unreachable, TaskState.Killing, TaskState.Killed)]
    public void CanTransition_AllowsTheDocumentedLifecycles(params TaskState[] path)
    {
        for (var i = 1; i < path.Length; i++)
        {
            Assert.True(TaskStateMachine.CanTransition(path[i - 1], path[i]), $"{path[i - 1]} -> {path[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(AllProducers))]
    public void MayComeFrom_FollowsWhoProducesEachState(TaskState state, StatusSource source, bool allowed) =>
        Assert.Equal(allowed, TaskStateMachine.MayComeFrom(state, source));

    [Fact]
    public void MasterOnlyStates_NeverComeFromTheAgentOrTheExecutor()
    {
        foreach (var state in new[] { TaskState.Error, TaskState.Unreachable, TaskState.GoneByOperator })
        {
            Assert.True(TaskStateMachine.MayComeFrom(state, StatusSource.Master));
            Assert.False(TaskStateMachine.MayComeFrom(state, StatusSource.Agent));
            Assert.False(TaskStateMachine.MayComeFrom(state, StatusSource.Executor));
        }
    }
}
