using System.Collections;
using Google.Protobuf;
using Grpc.Core;
using Mesos.Client;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using Mesos.Tests.Client.Fakes;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Cli;

public sealed class ExecuteCommandTests
{
    private static Offer OfferOf(string id, string agentId, string resources) => new()
    {
        Id = id,
        FrameworkId = "fw-1",
        AgentId = agentId,
        Hostname = agentId + ".local",
        Resources = { ProtoResources.ToWire(ResourceSet.Parse(resources)) },
        AllocationInfo = new AllocationInfo { Role = "*" },
    };

    private static SchedulerEvent Offers(params Offer[] offers) => new() { Offers = new SchedulerEvent.Types.Offers { Offers_ = { offers } } };

    private static SchedulerEvent Update(string taskId, TaskState state, string? uuid, TaskStatus.Types.Source source = TaskStatus.Types.Source.Executor) =>
        new()
        {
            Update = new SchedulerEvent.Types.Update
            {
                Status = new TaskStatus
                {
                    TaskId = taskId,
                    AgentId = "agent-2",
                    State = state,
                    Source = source,
                    Uuid = uuid is null ? ByteString.Empty : ByteString.CopyFromUtf8(uuid),
                },
            },
        };

    [Fact]
    public async Task TaskFinishes_LaunchesOnTheOfferThatFits_PrintsUpdates_Acknowledges_TearsDown_Exits0()
    {
        await using var master = await FakeMaster.StartAsync();
        var run = CliRunner.RunAsync(["execute", "--master", master.Address, "--name", "hello", "--command", "echo hello", "--resources=cpus:0.5;mem:64"]);

        var subscription = await master.Scheduler.NextSubscriptionAsync();
        var framework = subscription.Request.FrameworkInfo;
        Assert.Equal(("mesos-execute instance", 600d, System.Environment.UserName), (framework.Name, framework.FailoverTimeout, framework.User));
        Assert.Equal(["*"], framework.Roles);
        Assert.Contains(FrameworkInfo.Types.Capability.MultiRole, framework.Capabilities);

        subscription.SendSubscribed("fw-1", "stream-1");
        subscription.Send(Offers(OfferOf("o-small", "agent-1", "cpus:0.25;mem:1024"), OfferOf("o-big", "agent-2", "cpus:2;mem:2048;ports:[31000-32000]")));

        var accept = Assert.Single(await master.Scheduler.WaitForCallsAsync<AcceptRequest>());
        Assert.Equal(["o-big"], accept.OfferIds);
        Assert.Equal(new CallContext { FrameworkId = "fw-1", StreamId = "stream-1" }, accept.Context);
        var task = Assert.Single(accept.Launch);
        Assert.StartsWith("hello-", task.TaskId, StringComparison.Ordinal);
        Assert.Equal(14, task.TaskId.Length);
        Assert.Equal(("hello", "agent-2", "echo hello", true), (task.Name, task.AgentId, task.Command.Value, task.Command.Shell));
        Assert.Equal(ResourceSet.Parse("cpus:0.5;mem:64"), ProtoResources.ToResourceSet(task.Resources));
        Assert.All(task.Resources, r => Assert.Equal("*", r.AllocationInfo.Role));

        var decline = Assert.Single(await master.Scheduler.WaitForCallsAsync<DeclineRequest>());
        Assert.Equal(["o-small"], decline.OfferIds);
        Assert.Equal(1, decline.Filters.RefuseSeconds);

        subscription.Send(Update(task.TaskId, TaskState.TaskRunning, "u-1"));
        subscription.Send(Update(task.TaskId, TaskState.TaskFinished, "u-2"));
        var (exitCode, stdout, stderr) = await run;

        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        Assert.Equal(
            $"Subscribed with ID fw-1\n" +
            $"Submitted task '{task.TaskId}' to agent 'agent-2' (agent-2.local)\n" +
            $"Received status update TASK_RUNNING for task '{task.TaskId}' (source: SOURCE_EXECUTOR)\n" +
            $"Received status update TASK_FINISHED for task '{task.TaskId}' (source: SOURCE_EXECUTOR)\n",
            stdout);
        var acks = master.Scheduler.Calls.OfType<AcknowledgeRequest>().Select(a => a.Uuid.ToStringUtf8());
        Assert.Equal(["u-1", "u-2"], acks);
        Assert.Equal("fw-1", Assert.Single(master.Scheduler.Calls.OfType<TeardownRequest>()).Context.FrameworkId);
    }

    [Fact]
    public async Task TaskFails_PrintsReasonAndMessage_DoesNotAckMasterUpdates_Exits1()
    {
        await using var master = await FakeMaster.StartAsync();
        var run = CliRunner.RunAsync(["execute", "--master", master.Address, "--name", "boom", "--task_id", "boom-1", "--command", "exit 3"]);
        var subscription = await master.Scheduler.NextSubscriptionAsync();
        subscription.SendSubscribed("fw-1", "stream-1");
        subscription.Send(Offers(OfferOf("o-1", "agent-2", "cpus:1;mem:128")));
        await master.Scheduler.WaitForCallsAsync<AcceptRequest>();

        var failed = Update("boom-1", TaskState.TaskFailed, uuid: null, TaskStatus.Types.Source.Agent);
        failed.Update.Status.Reason = TaskStatus.Types.Reason.CommandExecutorFailed;
        failed.Update.Status.Message = "Command exited with status 3";
        subscription.Send(failed);
        var (exitCode, stdout, stderr) = await run;

        Assert.Equal(1, exitCode);
        Assert.EndsWith(
            "Received status update TASK_FAILED for task 'boom-1' (source: SOURCE_AGENT, reason: REASON_COMMAND_EXECUTOR_FAILED): Command exited with status 3\n",
            stdout,
            StringComparison.Ordinal);
        Assert.Equal("Task 'boom-1' ended in TASK_FAILED\n", stderr);
        Assert.Empty(master.Scheduler.Calls.OfType<AcknowledgeRequest>());
        Assert.Single(master.Scheduler.Calls.OfType<TeardownRequest>());
    }

    [Fact]
    public async Task AcceptRejected_OneLine_Exits1()
    {
        await using var master = await FakeMaster.StartAsync();
        master.Scheduler.AcceptError = new RpcException(new Status(StatusCode.InvalidArgument, "Task uses more resources cpus:4 than available cpus:2"));
        var run = CliRunner.RunAsync(["execute", "--master", master.Address, "--name", "x", "--task_id", "x-1", "--command", "true"]);
        var subscription = await master.Scheduler.NextSubscriptionAsync();
        subscription.SendSubscribed("fw-1", "stream-1");
        subscription.Send(Offers(OfferOf("o-1", "agent-2", "cpus:2;mem:128")));

        var (exitCode, _, stderr) = await run;

        Assert.Equal(1, exitCode);
        Assert.Equal("Failed to launch task 'x-1' on agent agent-2.local: Task uses more resources cpus:4 than available cpus:2\n", stderr);
    }

    [Fact]
    public async Task NoOfferFits_WaitsAndSaysSoOnce()
    {
        await using var master = await FakeMaster.StartAsync();
        using var cancel = new CancellationTokenSource();
        var run = CliRunner.RunAsync(["execute", "--master", master.Address, "--name", "big", "--command", "true", "--resources=cpus:16"], cancellationToken: cancel.Token);
        var subscription = await master.Scheduler.NextSubscriptionAsync();
        subscription.SendSubscribed("fw-1", "stream-1");
        subscription.Send(Offers(OfferOf("o-1", "agent-1", "cpus:2;mem:128")));
        subscription.Send(Offers(OfferOf("o-2", "agent-1", "cpus:2;mem:128")));
        await master.Scheduler.WaitForCallsAsync<DeclineRequest>(2);

        await cancel.CancelAsync();
        var (exitCode, stdout, stderr) = await run;

        Assert.Equal(130, exitCode);
        Assert.Empty(master.Scheduler.Calls.OfType<AcceptRequest>());
        Assert.Single(stdout.Split('\n'), l => l.StartsWith("Waiting for an offer with cpus:16", StringComparison.Ordinal));
        // A decline in flight when Ctrl-C lands may add its own line; the interruption must still be reported.
        Assert.Contains(stderr.Split('\n'), line => line.StartsWith("Interrupted", StringComparison.Ordinal));
        Assert.Single(master.Scheduler.Calls.OfType<TeardownRequest>());
    }

    [Fact]
    public async Task KillAfter_KillsTheRunningTask()
    {
        await using var master = await FakeMaster.StartAsync();
        var run = CliRunner.RunAsync(["execute", "--master", master.Address, "--name", "sleep", "--task_id", "sleep-1", "--command", "sleep 100", "--kill_after=100ms"]);
        var subscription = await master.Scheduler.NextSubscriptionAsync();
        subscription.SendSubscribed("fw-1", "stream-1");
        subscription.Send(Offers(OfferOf("o-1", "agent-2", "cpus:1;mem:128")));
        await master.Scheduler.WaitForCallsAsync<AcceptRequest>();
        subscription.Send(Update("sleep-1", TaskState.TaskRunning, "u-1"));

        var kill = Assert.Single(await master.Scheduler.WaitForCallsAsync<KillRequest>());
        Assert.Equal(("sleep-1", "agent-2"), (kill.TaskId, kill.AgentId));
        subscription.Send(Update("sleep-1", TaskState.TaskKilled, "u-2"));
        var (exitCode, stdout, _) = await run;

        Assert.Equal(1, exitCode);
        Assert.Contains("Killing task 'sleep-1' after 100ms\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MasterRestarts_ResubscribesAndFinishes()
    {
        await using var master = await FakeMaster.StartAsync();
        var run = CliRunner.RunAsync(["execute", "--master", master.Address, "--name", "x", "--task_id", "x-1", "--command", "true"]);
        var first = await master.Scheduler.NextSubscriptionAsync();
        first.SendSubscribed("fw-1", "stream-1");
        first.Send(Offers(OfferOf("o-1", "agent-2", "cpus:1;mem:128")));
        await master.Scheduler.WaitForCallsAsync<AcceptRequest>();
        first.Close();

        var second = await master.Scheduler.NextSubscriptionAsync();
        Assert.Equal("fw-1", second.Request.FrameworkInfo.Id);
        second.SendSubscribed("fw-1", "stream-2");
        await master.Scheduler.WaitForCallsAsync<ReconcileRequest>();
        second.Send(Update("x-1", TaskState.TaskFinished, "u-1"));
        var (exitCode, stdout, _) = await run;

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("Subscribed with ID fw-1\nSubscribed", stdout, StringComparison.Ordinal);
        Assert.Equal("stream-2", Assert.Single(master.Scheduler.Calls.OfType<AcknowledgeRequest>()).Context.StreamId);
    }

    [Fact]
    public async Task MasterFromEnvironment_IsUsed()
    {
        await using var master = await FakeMaster.StartAsync();
        var run = CliRunner.RunAsync(["execute", "--name", "x", "--task_id", "x-1", "--command", "true"], new Hashtable { ["MESOS_MASTER"] = master.Address });
        var subscription = await master.Scheduler.NextSubscriptionAsync();
        subscription.Send(new SchedulerEvent { Error = new SchedulerEvent.Types.Error { Message = "Framework is not authorized" } });

        var (exitCode, _, stderr) = await run;

        Assert.Equal(1, exitCode);
        Assert.Equal("Master reported an error: Framework is not authorized\n", stderr);
    }
}
