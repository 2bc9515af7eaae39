using Mesos.Agent.Containerizer;
using Mesos.Agent.Executor;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

public sealed class SwitchUserTests : IDisposable
{
    private readonly TempDirectory _workDir = new();

    public void Dispose() => _workDir.Dispose();

    [Fact]
    public async Task Run_AsNobody_TheCommandRunsWithNobodysUid()
    {
        Assert.True(UserAccounts.AgentIsRoot, "these tests run as root, as the agent on CI does");
        var nobody = UserAccounts.Find("nobody")!;
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "id -u; echo $HOME; touch written-by-task");
        launch.Task.Command.User = "nobody";
        var executor = TaskLaunches.Executor(launch, collector, new PosixContainerizer(), switchUser: true);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TaskFinished, collector.Statuses[^1].State);
        var lines = (await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout"))).Split('\n');
        Assert.Equal(nobody.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[0]);
        Assert.Equal(nobody.Home, lines[1]);
        Assert.True(File.Exists(Path.Combine(executor.Directory, "written-by-task")), "the sandbox was not given to the task's user");
    }

    [Fact]
    public async Task Run_FrameworkUser_IsUsedWhenTheCommandNamesNone()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "id -un");
        launch.Framework.User = "nobody";
        var executor = TaskLaunches.Executor(launch, collector, new PosixContainerizer(), switchUser: true);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TaskFinished, collector.Statuses[^1].State);
        Assert.Equal("nobody\n", await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout")));
    }

    [Fact]
    public async Task Run_SwitchUserOff_RunsAsTheAgent()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "id -u");
        launch.Task.Command.User = "nobody";
        var executor = TaskLaunches.Executor(launch, collector, new PosixContainerizer(), switchUser: false);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("0\n", await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout")));
    }

    [Fact]
    public async Task Run_UnknownUser_FailsWithAMessageNamingIt()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "echo never");
        launch.Task.Command.User = "no-such-user-" + Guid.NewGuid().ToString("N")[..6];
        var executor = TaskLaunches.Executor(launch, collector, new PosixContainerizer(), switchUser: true);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var failed = Assert.Single(collector.Statuses);
        Assert.Equal(TaskState.TaskFailed, failed.State);
        Assert.Equal(TaskStatus.Types.Reason.ContainerLaunchFailed, failed.Reason);
        Assert.Contains($"user '{launch.Task.Command.User}'", failed.Message, StringComparison.Ordinal);
        Assert.Contains("no such user", failed.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout")));
    }

    [Fact]
    public async Task Run_MesosEnvironment_ReachesTheTask()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path,
            "echo \"$MESOS_SANDBOX|$MESOS_DIRECTORY|$MESOS_TASK_ID|$MESOS_FRAMEWORK_ID|$MESOS_EXECUTOR_ID|$MESOS_AGENT_ENDPOINT|$MESOS_CONTAINER_ID\"");
        var executor = TaskLaunches.Executor(launch, collector, new PosixContainerizer(), switchUser: true);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(
            $"{executor.Directory}|{executor.Directory}|{launch.TaskId}|framework-1|{launch.ExecutorId}|127.0.0.1:5051|{executor.ContainerId}\n",
            await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout")));
    }
}
