using Google.Protobuf;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Agent.Containerizer;
using Mesos.Agent.Recovery;
using Mesos.Agent.Registration;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

public sealed class TaskCheckpointTests : IDisposable
{
    private readonly TempDirectory _workDir = new();

    public void Dispose() => _workDir.Dispose();

    [Fact]
    public void Read_UpdatesAndAcknowledgements_LeavesTheUnacknowledgedInOrder()
    {
        var checkpoint = Launched("t1");
        var starting = Status("t1", TaskState.TaskStarting);
        var running = Status("t1", TaskState.TaskRunning);
        var finished = Status("t1", TaskState.TaskFinished);
        checkpoint.AppendUpdate(starting);
        checkpoint.AppendUpdate(running);
        checkpoint.AppendAcknowledgement(starting.Uuid);
        checkpoint.AppendAcknowledgement(finished.Uuid);
        checkpoint.AppendUpdate(finished);
        checkpoint.WritePid(1234, 5678);

        var (tasks, problems) = CheckpointReader.Read(_workDir.Path, "A1");

        Assert.Empty(problems);
        var task = Assert.Single(tasks);
        Assert.Equal(("F1", "t1", "E1", "C-t1"), (task.Framework.Id, task.Task.TaskId, task.ExecutorId, task.ContainerId));
        Assert.Equal((1234, 5678UL), (task.Pid, task.StartTime));
        Assert.Equal(TaskState.TaskFinished, task.LatestState);
        Assert.Equal([running.Uuid, finished.Uuid], task.Unacknowledged.Select(s => s.Uuid));
    }

    [Fact]
    public void Read_TornLastRecord_IsLeftOutAsNeverSent()
    {
        var checkpoint = Launched("t1");
        var starting = Status("t1", TaskState.TaskStarting);
        checkpoint.AppendUpdate(starting);
        CheckpointFiles.AppendDurably(checkpoint.UpdatesPath, [TaskCheckpoint.UpdateRecord, 0x50, 0x01, 0x02]);

        var task = Assert.Single(CheckpointReader.Read(_workDir.Path, "A1").Tasks);

        Assert.Equal([starting.Uuid], task.Unacknowledged.Select(s => s.Uuid));
    }

    [Fact]
    public void Read_TornLastRecord_IsCutOffSoTheNextAgentsAppendsReadBack()
    {
        var checkpoint = Launched("t1");
        var starting = Status("t1", TaskState.TaskStarting);
        checkpoint.AppendUpdate(starting);
        CheckpointFiles.AppendDurably(checkpoint.UpdatesPath, [TaskCheckpoint.UpdateRecord, 0x50, 0x01, 0x02]);
        var recovered = Assert.Single(CheckpointReader.Read(_workDir.Path, "A1").Tasks);

        var running = Status("t1", TaskState.TaskRunning);
        recovered.Checkpoint.AppendAcknowledgement(starting.Uuid);
        recovered.Checkpoint.AppendUpdate(running);
        var (tasks, problems) = CheckpointReader.Read(_workDir.Path, "A1");

        Assert.Empty(problems);
        Assert.Equal([running.Uuid], Assert.Single(tasks).Unacknowledged.Select(s => s.Uuid));
    }

    [Fact]
    public void Append_UpdatesAndAcknowledgementsFromTwoThreadsAtOnce_AllReadBack()
    {
        // The executor's thread appends updates while the master connection's appends acknowledgements.
        var checkpoint = Launched("t1");
        var updates = Enumerable.Range(0, 200).Select(_ => Status("t1", TaskState.TaskRunning)).ToArray();
        var acknowledged = updates.Take(100).ToArray();
        using var start = new Barrier(2);

        Parallel.Invoke(
            () =>
            {
                start.SignalAndWait();
                foreach (var update in updates)
                {
                    checkpoint.AppendUpdate(update);
                }
            },
            () =>
            {
                start.SignalAndWait();
                foreach (var update in acknowledged)
                {
                    // Stale until its update is in the log: the reader ignores an ack that is not for the head.
                    checkpoint.AppendAcknowledgement(update.Uuid);
                }
            });

        var (tasks, problems) = CheckpointReader.Read(_workDir.Path, "A1");

        Assert.Empty(problems);
        var task = Assert.Single(tasks);
        Assert.Equal(updates.Length, task.Updates.Count);
        Assert.Equal(updates.Select(u => u.Uuid), task.Updates.Select(u => u.Uuid));
    }

    [Fact]
    public void Append_AfterTheRunIsRemoved_LeavesNothingToRecover()
    {
        var checkpoint = Launched("t1");
        var finished = Status("t1", TaskState.TaskFinished);
        checkpoint.AppendUpdate(finished);
        checkpoint.Remove();

        checkpoint.AppendAcknowledgement(finished.Uuid);

        Assert.False(Directory.Exists(checkpoint.RunDirectory));
        Assert.Empty(CheckpointReader.Read(_workDir.Path, "A1").Tasks);
    }

    [Fact]
    public void Read_UnreadableTaskInfo_IsAProblemNamingIt()
    {
        var checkpoint = Launched("t1");
        File.WriteAllBytes(checkpoint.TaskInfoPath, [0xff, 0xff, 0xff]);

        var (tasks, problems) = CheckpointReader.Read(_workDir.Path, "A1");

        Assert.Empty(tasks);
        Assert.Contains("t1", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnreadableCheckpoint_FailsWhenStrictAndSkipsItOtherwise()
    {
        AgentIdStore.Save(_workDir.Path, "A1");
        File.WriteAllBytes(Launched("t1").TaskInfoPath, [0xff, 0xff, 0xff]);
        var options = new AgentOptions
        {
            Masters = ["127.0.0.1:1"],
            WorkDir = _workDir.Path,
            Resources = ResourceSet.Parse("cpus:1;mem:64"),
            Port = 0,
            Ip = "127.0.0.1",
        };

        await Assert.ThrowsAsync<CheckpointException>(() => AgentRuntime.StartAsync(options));

        await using var agent = await AgentRuntime.StartAsync(options with { Strict = false });
        Assert.Equal("A1", agent.AgentId);
    }

    [Fact]
    public async Task Supervisor_RecordsTheTaskExitCode()
    {
        var sandbox = Directory.CreateDirectory(Path.Combine(_workDir.Path, "sandbox")).FullName;
        var exitStatus = Path.Combine(_workDir.Path, "exit_status");
        var config = new ContainerConfig("c1", sandbox, true, "echo out; exit 7", [], new Dictionary<string, string>()) { ExitStatusPath = exitStatus };

        var container = await new PosixContainerizer().LaunchAsync(config, CancellationToken.None);
        var exit = await container.Exited.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(7, exit.Status);
        Assert.Equal(exit, RecoveredContainer.ReadExitStatus(exitStatus));
        Assert.Equal("out\n", File.ReadAllText(config.StdoutPath));
    }

    private TaskCheckpoint Launched(string taskId)
    {
        var checkpoint = new TaskCheckpoint(_workDir.Path, "A1", "F1", "E1", "C-" + taskId, taskId);
        checkpoint.WriteLaunch(new FrameworkInfo { Id = "F1", Name = "f" }, new TaskInfo { TaskId = taskId, Name = taskId });
        return checkpoint;
    }

    private static TaskStatus Status(string taskId, TaskState state) => new()
    {
        TaskId = taskId,
        FrameworkId = "F1",
        State = state,
        Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
    };
}
