using Mesos.Agent.Containerizer;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

public sealed class CommandExecutorTests : IDisposable
{
    private readonly TempDirectory _workDir = new();

    public void Dispose() => _workDir.Dispose();

    [Fact]
    public async Task Run_EchoHello_WritesStdoutAndReportsStartingRunningFinished()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "echo hello");
        var executor = TaskLaunches.Executor(launch, collector);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], collector.Statuses.Select(s => s.State));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout")));
        Assert.StartsWith(Path.Combine(_workDir.Path, "slaves", "agent-S0", "frameworks", "framework-1", "executors", launch.ExecutorId, "runs"), executor.Directory);
        Assert.Equal(executor.ContainerId, new DirectoryInfo(Path.Combine(Path.GetDirectoryName(executor.Directory)!, "latest")).LinkTarget);
        Assert.All(collector.Statuses, s =>
        {
            Assert.Equal(16, s.Uuid.Length);
            Assert.Equal(launch.TaskId, s.TaskId);
            Assert.Equal("framework-1", s.FrameworkId);
            Assert.Equal("agent-S0", s.AgentId);
            Assert.Equal(launch.ExecutorId, s.ExecutorId);
            Assert.Equal(TaskStatus.Types.Source.Executor, s.Source);
            Assert.True(s.Timestamp > 0);
        });
        Assert.Equal(3, collector.Statuses.Select(s => s.Uuid).Distinct().Count());
    }

    [Fact]
    public async Task Run_Exit3_ReportsFailedWithTheStatus()
    {
        var collector = new StatusCollector();
        var executor = TaskLaunches.Executor(TaskLaunches.Shell(_workDir.Path, "echo oops >&2; exit 3"), collector);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var terminal = collector.Statuses[^1];
        Assert.Equal(TaskState.TaskFailed, terminal.State);
        Assert.Equal("Command exited with status 3", terminal.Message);
        Assert.Equal("oops\n", await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stderr")));
    }

    [Fact]
    public async Task Run_TaskEnvironment_ReachesTheCommandWithMesosVariables()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "echo \"$GREETING|$MESOS_TASK_ID|$MESOS_SANDBOX|$(pwd)\"");
        launch.Task.Command.Environment = new Mesos.Protocol.V1.Environment();
        launch.Task.Command.Environment.Variables.Add(new Mesos.Protocol.V1.Environment.Types.Variable { Name = "GREETING", Value = "it's \"quoted\" $HOME" });
        var executor = TaskLaunches.Executor(launch, collector);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TaskFinished, collector.Statuses[^1].State);
        Assert.Equal($"it's \"quoted\" $HOME|{launch.TaskId}|{executor.Directory}|{executor.Directory}\n",
            await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout")));
    }

    [Fact]
    public async Task Run_WithoutShell_ExecsValueWithArgumentsVerbatim()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "/bin/echo");
        launch.Task.Command.Shell = false;
        launch.Task.Command.Arguments.AddRange(["echo", "a  b", "$HOME", "'c'"]);
        var executor = TaskLaunches.Executor(launch, collector);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TaskFinished, collector.Statuses[^1].State);
        Assert.Equal("a  b $HOME 'c'\n", await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout")));
    }

    [Fact]
    public async Task Kill_SleepWithBackgroundChild_LeavesNoProcessOfItsGroupAlive()
    {
        var collector = new StatusCollector();
        var executor = TaskLaunches.Executor(TaskLaunches.Shell(_workDir.Path, "sleep 1000 & sleep 1000"), collector);
        var run = executor.RunAsync(CancellationToken.None);
        await collector.WaitForAsync(s => s.State == TaskState.TaskRunning, TimeSpan.FromSeconds(30));
        var group = executor.Container!.ProcessGroupId;
        await WaitUntilAsync(() => ProcessTable.LiveMembersOfGroup(group).Count >= 2);

        executor.Kill(null);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TaskKilled, collector.Statuses[^1].State);
        Assert.Empty(ProcessTable.LiveMembersOfGroup(group));
        Assert.DoesNotContain(collector.Statuses, s => s.State == TaskState.TaskKilling);
    }

    [Fact]
    public async Task Kill_TermIgnored_SendsKillingThenKillsAfterTheGracePeriod()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "trap '' TERM; sleep 1000 & wait", FrameworkInfo.Types.Capability.TaskKillingState);
        launch.Task.KillPolicy = new KillPolicy { GracePeriodNanoseconds = 300_000_000 };
        var executor = TaskLaunches.Executor(launch, collector);
        var run = executor.RunAsync(CancellationToken.None);
        await collector.WaitForAsync(s => s.State == TaskState.TaskRunning, TimeSpan.FromSeconds(30));
        var group = executor.Container!.ProcessGroupId;
        await WaitUntilAsync(() => ProcessTable.LiveMembersOfGroup(group).Count >= 2);

        var killedAt = System.Diagnostics.Stopwatch.StartNew();
        executor.Kill(null);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskKilling, TaskState.TaskKilled], collector.Statuses.Select(s => s.State));
        Assert.True(killedAt.Elapsed >= TimeSpan.FromMilliseconds(250), $"SIGKILL came after {killedAt.Elapsed}, before the grace period");
        Assert.Empty(ProcessTable.LiveMembersOfGroup(group));
    }

    [Fact]
    public async Task Run_FinishedTaskLeavingABackgroundChild_KillsTheChildWithTheContainer()
    {
        var collector = new StatusCollector();
        var executor = TaskLaunches.Executor(TaskLaunches.Shell(_workDir.Path, "sleep 1000 & echo started"), collector);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TaskFinished, collector.Statuses[^1].State);
        Assert.Empty(ProcessTable.LiveMembersOfGroup(executor.Container!.ProcessGroupId));
    }

    [Fact]
    public async Task Run_SandboxCannotBeCreated_ReportsLaunchFailedFromTheAgent()
    {
        var notADirectory = Path.Combine(_workDir.Path, "file");
        await File.WriteAllTextAsync(notADirectory, "in the way");
        var collector = new StatusCollector();
        var executor = TaskLaunches.Executor(TaskLaunches.Shell(notADirectory, "echo never"), collector);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var only = Assert.Single(collector.Statuses);
        Assert.Equal(TaskState.TaskFailed, only.State);
        Assert.Equal(TaskStatus.Types.Reason.ContainerLaunchFailed, only.Reason);
        Assert.Equal(TaskStatus.Types.Source.Agent, only.Source);
        Assert.Contains("sandbox", only.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Kill_BeforeLaunch_ReportsKilledWithoutRunning()
    {
        var collector = new StatusCollector();
        var executor = TaskLaunches.Executor(TaskLaunches.Shell(_workDir.Path, "echo never"), collector);

        executor.Kill(null);
        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var only = Assert.Single(collector.Statuses);
        Assert.Equal(TaskState.TaskKilled, only.State);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "condition not met in time");
            await Task.Delay(20);
        }
    }
}
