using Grpc.Core;
using Mesos.Protocol.V1;
using static Mesos.Tests.Integration.MasterProtocolTests;

namespace Mesos.Tests.Integration;

/// <summary>The master's side of agent (re-)registration over real sockets, with raw gRPC clients playing the agent.</summary>
public sealed class AgentReregistrationProtocolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<MasterToAgent> NextAgentMessageAsync(IAsyncStreamReader<MasterToAgent> stream, MasterToAgent.MessageOneofCase wanted, CancellationToken ct)
    {
        while (await stream.MoveNext(ct))
        {
            if (stream.Current.MessageCase == wanted)
            {
                return stream.Current;
            }
        }

        throw new InvalidOperationException($"the stream ended before a {wanted} message");
    }

    [Fact]
    public async Task Register_RetriedWhileTheFirstAttachIsOpen_GetsTheSameAgentId()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);

        using var first = agents.Attach(new AttachRequest { AgentInfo = AgentInfo("cpus:2;mem:1024") }, cancellationToken: cts.Token);
        var firstId = (await NextAgentMessageAsync(first.ResponseStream, MasterToAgent.MessageOneofCase.Registered, cts.Token)).Registered.AgentId;
        using var retry = agents.Attach(new AttachRequest { AgentInfo = AgentInfo("cpus:2;mem:1024") }, cancellationToken: cts.Token);
        var retryId = (await NextAgentMessageAsync(retry.ResponseStream, MasterToAgent.MessageOneofCase.Registered, cts.Token)).Registered.AgentId;

        Assert.Equal(firstId, retryId);
        var state = await new Operator.OperatorClient(master.Channel).GetStateAsync(new GetStateRequest(), cancellationToken: cts.Token);
        Assert.Single(state.Agents);
    }

    [Fact]
    public async Task Reregister_WithTasksOfAFrameworkTornDownMeanwhile_IsToldToShutThatFrameworkDown()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        var scheduler = new Scheduler.SchedulerClient(master.Channel);

        string agentId;
        string frameworkId;
        using (var attach = agents.Attach(new AttachRequest { AgentInfo = AgentInfo("cpus:2;mem:1024") }, cancellationToken: cts.Token))
        {
            agentId = (await NextAgentMessageAsync(attach.ResponseStream, MasterToAgent.MessageOneofCase.Registered, cts.Token)).Registered.AgentId;
            using var subscription = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = new FrameworkInfo { Name = "gone", User = "root", FailoverTimeout = 60 } }, cancellationToken: cts.Token);
            var subscribed = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, cts.Token)).Subscribed;
            frameworkId = subscribed.FrameworkId;
            var context = new CallContext { FrameworkId = frameworkId, StreamId = subscribed.StreamId };
            var offer = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Offers, cts.Token)).Offers.Offers_.Single();
            var task = new TaskInfo { TaskId = "orphan", Name = "orphan", Command = new CommandInfo { Value = "sleep 600" } };
            task.Resources.AddRange(Resources("cpus", 0.5).Concat(Resources("mem", 64)));
            await scheduler.AcceptAsync(new AcceptRequest { Context = context, OfferIds = { offer.Id }, Launch = { task } }, cancellationToken: cts.Token);
            await NextAgentMessageAsync(attach.ResponseStream, MasterToAgent.MessageOneofCase.RunTask, cts.Token);
        }

        // The agent is away when the framework is torn down, so it cannot hear of it then.
        var operatorClient = new Operator.OperatorClient(master.Channel);
        await WaitUntilAsync(async () => (await operatorClient.GetStateAsync(new GetStateRequest(), cancellationToken: cts.Token))
            .Agents.Single().State == "DISCONNECTED", cts.Token);
        await operatorClient.TeardownFrameworkAsync(new TeardownFrameworkRequest { FrameworkId = frameworkId }, cancellationToken: cts.Token);

        var request = new AttachRequest { AgentInfo = AgentInfo("cpus:2;mem:1024"), AgentId = agentId };
        request.RunningTasks.Add(new RunningTask { FrameworkId = frameworkId, TaskId = "orphan", State = TaskState.TaskRunning });
        using var back = agents.Attach(request, cancellationToken: cts.Token);

        Assert.True((await NextAgentMessageAsync(back.ResponseStream, MasterToAgent.MessageOneofCase.Registered, cts.Token)).Registered.Reregistered);
        var shutdown = await NextAgentMessageAsync(back.ResponseStream, MasterToAgent.MessageOneofCase.ShutdownFramework, cts.Token);
        Assert.Equal(frameworkId, shutdown.ShutdownFramework.FrameworkId);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        while (!await condition())
        {
            await Task.Delay(50, ct);
        }
    }
}
