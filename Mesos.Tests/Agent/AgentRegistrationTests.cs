using System.Text.Json;
using Google.Protobuf;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Agent;

/// <summary>The agent against a scripted master over real gRPC-Web: attach, work, acknowledgements, re-attach.</summary>
public sealed class AgentRegistrationTests : IAsyncLifetime
{
    private readonly TempDirectory _workDir = new();
    private FakeMaster _master = null!;
    private AgentRuntime _agent = null!;

    private FakeMasterService Master => _master.Service;

    public async Task InitializeAsync()
    {
        _master = await FakeMaster.StartAsync();
        _agent = await AgentRuntime.StartAsync(new AgentOptions
        {
            // The first master is down: the agent must move on to the next.
            Masters = ["127.0.0.1:1", _master.Address],
            WorkDir = _workDir.Path,
            Resources = ResourceSet.Parse("cpus:2;mem:256;ports:[31000-31010]"),
            Port = 0,
            Ip = "127.0.0.1",
            Hostname = "agent-under-test",
            RegistrationBackoffFactor = TimeSpan.FromMilliseconds(50),
            RegistrationBackoffMax = TimeSpan.FromMilliseconds(200),
            DefaultKillGracePeriod = TimeSpan.FromSeconds(1),
        });
    }

    public async Task DisposeAsync()
    {
        await _agent.StopAsync();
        await _master.DisposeAsync();
        _workDir.Dispose();
    }

    [Fact]
    public async Task Attach_NewAgent_AdvertisesItselfAndKeepsTheIdTheMasterGives()
    {
        var attach = await Master.NextAttachAsync();
        var agentId = await _agent.WaitForRegistrationAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(string.Empty, attach.AgentId);
        Assert.Equal("agent-under-test", attach.AgentInfo.Hostname);
        Assert.Equal(_agent.HttpPort, attach.AgentInfo.Port);
        Assert.Equal(2, attach.AgentInfo.Resources.Single(r => r.Name == "cpus").Scalar.Value);
        Assert.Equal(31010ul, attach.AgentInfo.Resources.Single(r => r.Name == "ports").Ranges.Range.Single().End);
        Assert.Equal("master-1-S1", agentId);
        Assert.Equal(agentId, (await File.ReadAllTextAsync(Path.Combine(_workDir.Path, "meta", "agent_id"))).Trim());
    }

    [Fact]
    public async Task RunTask_UpdatesGoOutOneAtATimeAsTheyAreAcknowledged()
    {
        await Master.NextAttachAsync();
        var agentId = await _agent.WaitForRegistrationAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Master.Send(RunTask("echo hi"));

        var starting = await Master.NextUpdateAsync();
        Assert.Equal(TaskState.TaskStarting, starting.Status.State);
        Assert.Equal(agentId, starting.AgentId);
        Assert.Equal("fw-1", starting.FrameworkId);
        Assert.False(await Master.HasMoreUpdatesAsync(), "RUNNING went out before STARTING was acknowledged");

        Master.Send(Ack(starting));
        var running = await Master.NextUpdateAsync();
        Assert.Equal(TaskState.TaskRunning, running.Status.State);
        Master.Send(Ack(running));
        var finished = await Master.NextUpdateAsync();
        Assert.Equal(TaskState.TaskFinished, finished.Status.State);
        Master.Send(Ack(finished));

        var state = await WaitForStateAsync(s => s.GetProperty("completed_frameworks").GetArrayLength() == 1);
        var executor = state.GetProperty("completed_frameworks")[0].GetProperty("completed_executors")[0];
        Assert.Equal("TASK_FINISHED", executor.GetProperty("completed_tasks")[0].GetProperty("state").GetString());
        Assert.Equal("hi\n", await File.ReadAllTextAsync(Path.Combine(executor.GetProperty("directory").GetString()!, "stdout")));
    }

    [Fact]
    public async Task StreamEnds_AgentReattachesWithItsIdAndRunningTasks_ThenTakesKills()
    {
        await Master.NextAttachAsync();
        var agentId = await _agent.WaitForRegistrationAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Master.Send(RunTask("sleep 1000"));
        var starting = await Master.NextUpdateAsync();
        Master.Send(Ack(starting));
        var running = await Master.NextUpdateAsync();
        Assert.Equal(TaskState.TaskRunning, running.Status.State);

        Master.EndStream();

        var reattach = await Master.NextAttachAsync();
        Assert.Equal(agentId, reattach.AgentId);
        var task = Assert.Single(reattach.RunningTasks);
        Assert.Equal(("fw-1", "task-1", TaskState.TaskRunning), (task.FrameworkId, task.TaskId, task.State));

        // RUNNING was never acknowledged, so it goes out again at once on the new stream.
        Assert.Equal(running.Status.Uuid, (await Master.NextUpdateAsync()).Status.Uuid);
        Master.Send(Ack(running));
        Master.Send(new MasterToAgent { KillTask = new MasterToAgent.Types.KillTask { FrameworkId = "fw-1", TaskId = "task-1" } });
        var killed = await Master.NextUpdateAsync();
        Assert.Equal(TaskState.TaskKilled, killed.Status.State);
    }

    [Fact]
    public async Task Heartbeat_MasterForgotTheAgent_AgentReattaches()
    {
        Master.HeartbeatIntervalSeconds = 0.1;
        await Master.NextAttachAsync();
        await _agent.WaitForRegistrationAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Master.KnowsAgent = false;

        var reattach = await Master.NextAttachAsync();
        Assert.Equal("master-1-S1", reattach.AgentId);
        Assert.True(Master.Heartbeats > 0);
    }

    [Fact]
    public async Task ShutdownFramework_KillsItsTasks()
    {
        await Master.NextAttachAsync();
        await _agent.WaitForRegistrationAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Master.Send(RunTask("sleep 1000"));
        var starting = await Master.NextUpdateAsync();
        Master.Send(Ack(starting));
        await Master.NextUpdateAsync();

        Master.Send(new MasterToAgent { ShutdownFramework = new MasterToAgent.Types.ShutdownFramework { FrameworkId = "fw-1" } });

        var state = await WaitForStateAsync(s => s.GetProperty("completed_frameworks").GetArrayLength() == 1);
        Assert.Equal(0, state.GetProperty("frameworks").GetArrayLength());
        var group = state.GetProperty("completed_frameworks")[0].GetProperty("completed_executors")[0];
        Assert.Equal("TASK_KILLED", group.GetProperty("completed_tasks")[0].GetProperty("state").GetString());
    }

    private static MasterToAgent RunTask(string command) => new()
    {
        RunTask = new MasterToAgent.Types.RunTask
        {
            FrameworkInfo = new FrameworkInfo { Id = "fw-1", Name = "test framework", User = "root" },
            Task = new TaskInfo { TaskId = "task-1", Name = "task one", Command = new CommandInfo { Value = command } },
            ExecutorId = "task-1",
        },
    };

    private static MasterToAgent Ack(StatusUpdateRequest update) => new()
    {
        StatusAcknowledged = new MasterToAgent.Types.StatusAcknowledged
        {
            FrameworkId = update.FrameworkId,
            TaskId = update.Status.TaskId,
            Uuid = ByteString.CopyFrom(update.Status.Uuid.Span),
        },
    };

    private async Task<JsonElement> WaitForStateAsync(Func<JsonElement, bool> condition)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_agent.HttpPort}") };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var state = JsonDocument.Parse(await http.GetStringAsync("/state")).RootElement.Clone();
            if (condition(state))
            {
                return state;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "state never got there: " + state);
            await Task.Delay(50);
        }
    }
}
