using Mesos.Protocol.V1;

namespace Mesos.Tests.Integration;

/// <summary>LAUNCH_GROUP over our gRPC scheduler API, against a real master and agent: the same task groups as the HTTP edge launches.</summary>
public sealed class TaskGroupGrpcTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static TaskInfo Task(string taskId, string command)
    {
        var task = new TaskInfo { TaskId = taskId, Name = taskId, Command = new CommandInfo { Value = command }, KillPolicy = new KillPolicy { GracePeriodNanoseconds = 500_000_000 } };
        task.Resources.AddRange(MasterProtocolTests.Resources("cpus", 0.1).Concat(MasterProtocolTests.Resources("mem", 32)));
        return task;
    }

    [Fact]
    public async Task LaunchGroup_OfTwoCommandTasksOnTheDefaultExecutor_BothRunThenFinish()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        await using var framework = await TestFramework.SubscribeAsync(master, "grpc-group", ct);

        var executor = new ExecutorInfo { Type = ExecutorInfo.Types.Type.Default, ExecutorId = "pod", Name = "pod over gRPC" };
        executor.Resources.AddRange(MasterProtocolTests.Resources("cpus", 0.1).Concat(MasterProtocolTests.Resources("mem", 32)).Concat(MasterProtocolTests.Resources("disk", 10)));
        await framework.LaunchGroupAsync(new LaunchGroup { Executor = executor, Tasks = { Task("first", "sleep 1"), Task("second", "sleep 1") } }, ct);

        foreach (var taskId in new[] { "first", "second" })
        {
            var updates = await framework.UpdatesUntilTerminalAsync(taskId, ct);
            Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], updates.Select(u => u.State));
            Assert.All(updates, u => Assert.Equal("pod", u.ExecutorId));
        }
    }
}
