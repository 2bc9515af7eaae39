using Google.Protobuf;
using Grpc.Core;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Integration;

/// <summary>The gRPC edge of UPDATE_FRAMEWORK, MESSAGE, SHUTDOWN and the operation calls: the same rules as the HTTP edge, as gRPC statuses.</summary>
public sealed class SchedulerFrameworkCallsGrpcTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task UpdateFramework_AppliesAValidUpdate_AndRefusesImmutableFieldsAndAnotherId()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        var info = new FrameworkInfo { Name = "grpc-update", User = "root", FailoverTimeout = 60 };
        using var subscription = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = info }, cancellationToken: cts.Token);
        var subscribed = (await MasterProtocolTests.NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, cts.Token)).Subscribed;
        var context = new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId };
        var renamed = info.Clone();
        renamed.Id = subscribed.FrameworkId;
        renamed.Name = "grpc-renamed";

        await scheduler.UpdateFrameworkAsync(new UpdateFrameworkRequest { Context = context, FrameworkInfo = renamed }, cancellationToken: cts.Token);
        var id = new Mesos.Core.Ids.FrameworkId(subscribed.FrameworkId);
        while (master.Server.State.Current.State.Frameworks[id].Info.Name != "grpc-renamed")
        {
            await Task.Delay(20, cts.Token);
        }

        var user = renamed.Clone();
        user.User = "nobody";
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await scheduler.UpdateFrameworkAsync(new UpdateFrameworkRequest { Context = context, FrameworkInfo = user }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("Updating 'FrameworkInfo.user' is unsupported; attempted to update from 'root' to 'nobody'", refused.Status.Detail);

        var other = renamed.Clone();
        other.Id = "someone-else";
        var mismatch = await Assert.ThrowsAsync<RpcException>(async () =>
            await scheduler.UpdateFrameworkAsync(new UpdateFrameworkRequest { Context = context, FrameworkInfo = other }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.InvalidArgument, mismatch.StatusCode);
        Assert.Contains("'framework_id' differs from 'update_framework.framework_info.id'", mismatch.Status.Detail);
    }

    [Fact]
    public async Task MessageShutdownAndOperationCalls_NameWhatIsMissing_AndReconcileAnswersOnTheStream()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        using var subscription = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = new FrameworkInfo { Name = "grpc-ops", User = "root" } }, cancellationToken: cts.Token);
        var subscribed = (await MasterProtocolTests.NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, cts.Token)).Subscribed;
        var context = new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId };

        var message = await Assert.ThrowsAsync<RpcException>(async () => await scheduler.MessageAsync(
            new MessageRequest { Context = context, AgentId = "ghost-agent", ExecutorId = "x", Data = ByteString.CopyFromUtf8("hi") }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.FailedPrecondition, message.StatusCode);
        Assert.Contains("ghost-agent", message.Status.Detail);

        var shutdown = await Assert.ThrowsAsync<RpcException>(async () => await scheduler.ShutdownAsync(
            new ShutdownRequest { Context = context, AgentId = "ghost-agent", ExecutorId = "x" }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.NotFound, shutdown.StatusCode);

        var badUuid = await Assert.ThrowsAsync<RpcException>(async () => await scheduler.AcknowledgeOperationStatusAsync(
            new AcknowledgeOperationStatusRequest { Context = context, AgentId = "a", OperationId = "op", Uuid = ByteString.CopyFrom(1, 2, 3) }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.InvalidArgument, badUuid.StatusCode);

        await scheduler.ReconcileOperationsAsync(new ReconcileOperationsRequest
        {
            Context = context,
            Operations = { new ReconcileOperationsRequest.Types.Operation { OperationId = "op-7", AgentId = "ghost-agent" } },
        }, cancellationToken: cts.Token);
        var answer = (await MasterProtocolTests.NextAsync(subscription.ResponseStream, SchedulerEvent.EventOneofCase.UpdateOperationStatus, cts.Token)).UpdateOperationStatus.Status;
        Assert.Equal("op-7", answer.OperationId);
        Assert.Equal(OperationState.OperationUnknown, answer.State);
        Assert.True(answer.Uuid.IsEmpty);
    }
}
