using Google.Protobuf;
using Grpc.Core;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Integration;

/// <summary>
/// The master over real sockets, driven by raw gRPC clients that play an agent and a framework, so that the
/// master's protocol is tested on its own terms (message order, acknowledgements, errors).
/// </summary>
public sealed class MasterProtocolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Framework_LaunchesOnAgent_AndStatusRoundTripsWithAcknowledgement()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);

        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(new AttachRequest { AgentInfo = AgentInfo("cpus:2;mem:1024") }, cancellationToken: cts.Token);
        Assert.True(await attach.ResponseStream.MoveNext(cts.Token));
        var agentId = attach.ResponseStream.Current.Registered.AgentId;
        Assert.EndsWith("-S0", agentId);

        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        using var subscription = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = new FrameworkInfo { Name = "test", User = "root", FailoverTimeout = 60 } }, cancellationToken: cts.Token);
        var subscribed = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, cts.Token)).Subscribed;
        var context = new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId };

        var offer = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Offers, cts.Token)).Offers.Offers_.Single();
        Assert.Equal(agentId, offer.AgentId);
        Assert.Equal("*", offer.AllocationInfo.Role);

        var task = new TaskInfo { TaskId = "t1", Name = "t1", Command = new CommandInfo { Value = "true" } };
        task.Resources.AddRange(Resources("cpus", 0.5).Concat(Resources("mem", 64)));
        await scheduler.AcceptAsync(new AcceptRequest { Context = context, OfferIds = { offer.Id }, Launch = { task } }, cancellationToken: cts.Token);

        Assert.True(await attach.ResponseStream.MoveNext(cts.Token));
        var run = attach.ResponseStream.Current.RunTask;
        Assert.Equal("t1", run.Task.TaskId);
        Assert.Equal(subscribed.FrameworkId, run.FrameworkInfo.Id);

        var uuid = Guid.NewGuid().ToByteArray(bigEndian: true);
        var reply = await agents.SendStatusUpdateAsync(new StatusUpdateRequest
        {
            AgentId = agentId,
            FrameworkId = subscribed.FrameworkId,
            Status = new TaskStatus { TaskId = "t1", State = TaskState.TaskFinished, Source = TaskStatus.Types.Source.Executor, Uuid = ByteString.CopyFrom(uuid) },
        }, cancellationToken: cts.Token);
        Assert.False(reply.Duplicate);

        var update = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Update, cts.Token)).Update.Status;
        Assert.Equal(TaskState.TaskFinished, update.State);
        Assert.Equal(uuid, update.Uuid.ToByteArray());

        var retried = await agents.SendStatusUpdateAsync(new StatusUpdateRequest
        {
            AgentId = agentId,
            FrameworkId = subscribed.FrameworkId,
            Status = new TaskStatus { TaskId = "t1", State = TaskState.TaskFinished, Source = TaskStatus.Types.Source.Executor, Uuid = ByteString.CopyFrom(uuid) },
        }, cancellationToken: cts.Token);
        Assert.True(retried.Duplicate);

        await scheduler.AcknowledgeAsync(new AcknowledgeRequest { Context = context, AgentId = agentId, TaskId = "t1", Uuid = ByteString.CopyFrom(uuid) }, cancellationToken: cts.Token);
        Assert.True(await attach.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(uuid, attach.ResponseStream.Current.StatusAcknowledged.Uuid.ToByteArray());

        var state = await new Operator.OperatorClient(master.Channel).GetStateAsync(new GetStateRequest(), cancellationToken: cts.Token);
        var finished = state.Tasks.Single(t => t.TaskId == "t1");
        Assert.Equal(TaskState.TaskFinished, finished.State);
        Assert.Equal(64, state.StateHash.Length);
    }

    [Fact]
    public async Task Accept_TaskLargerThanOffer_IsRefusedWithAMessageNamingTheTask_AndTheOfferStaysUsable()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(new AttachRequest { AgentInfo = AgentInfo("cpus:1;mem:128") }, cancellationToken: cts.Token);
        Assert.True(await attach.ResponseStream.MoveNext(cts.Token));

        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        using var subscription = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = new FrameworkInfo { Name = "big", User = "root" } }, cancellationToken: cts.Token);
        var subscribed = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, cts.Token)).Subscribed;
        var context = new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId };
        var offer = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Offers, cts.Token)).Offers.Offers_.Single();

        var tooBig = new TaskInfo { TaskId = "huge", Command = new CommandInfo { Value = "true" } };
        tooBig.Resources.AddRange(Resources("cpus", 4));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await scheduler.AcceptAsync(new AcceptRequest { Context = context, OfferIds = { offer.Id }, Launch = { tooBig } }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("'huge'", error.Status.Detail);
        Assert.Contains("cpus:4", error.Status.Detail);

        var fits = new TaskInfo { TaskId = "small", Command = new CommandInfo { Value = "true" } };
        fits.Resources.AddRange(Resources("cpus", 1));
        await scheduler.AcceptAsync(new AcceptRequest { Context = context, OfferIds = { offer.Id }, Launch = { fits } }, cancellationToken: cts.Token);

        var reused = await Assert.ThrowsAsync<RpcException>(async () =>
            await scheduler.AcceptAsync(new AcceptRequest { Context = context, OfferIds = { offer.Id }, Launch = { fits } }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.NotFound, reused.StatusCode);
    }

    [Fact]
    public async Task Calls_WithAWrongStreamId_AreRefused()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        using var subscription = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = new FrameworkInfo { Name = "f", User = "root" } }, cancellationToken: cts.Token);
        var subscribed = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, cts.Token)).Subscribed;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await scheduler.ReviveAsync(
            new ReviveRequest { Context = new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = "not-the-stream" } }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);

        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await scheduler.ReviveAsync(
            new ReviveRequest { Context = new CallContext { FrameworkId = "no-such-framework", StreamId = subscribed.StreamId } }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.PermissionDenied, unknown.StatusCode);
    }

    [Fact]
    public async Task Kill_UnknownTask_IsNotFound()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        using var subscription = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = new FrameworkInfo { Name = "f", User = "root" } }, cancellationToken: cts.Token);
        var subscribed = (await NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, cts.Token)).Subscribed;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await scheduler.KillAsync(
            new KillRequest { Context = new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId }, TaskId = "ghost" }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("ghost", error.Status.Detail);
    }

    internal static async Task<SchedulerEvent> NextAsync(IAsyncStreamReader<SchedulerEvent> stream, SchedulerEvent.EventOneofCase wanted, CancellationToken ct)
    {
        while (await stream.MoveNext(ct))
        {
            if (stream.Current.EventCase == wanted)
            {
                return stream.Current;
            }
        }

        throw new InvalidOperationException($"the stream ended before a {wanted} event");
    }

    internal static AgentInfo AgentInfo(string resources)
    {
        var info = new AgentInfo { Hostname = "127.0.0.1", Port = 5051 };
        foreach (var part in resources.Split(';'))
        {
            var (name, value) = (part.Split(':')[0], double.Parse(part.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            info.Resources.AddRange(Resources(name, value));
        }

        return info;
    }

    internal static IEnumerable<Resource> Resources(string name, double value) =>
        [new Resource { Name = name, Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = value } }];
}
