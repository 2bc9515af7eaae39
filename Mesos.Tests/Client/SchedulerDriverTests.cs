using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Mesos.Client;
using Mesos.Protocol.V1;
using Mesos.Tests.Client.Fakes;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Client;

public sealed class SchedulerDriverTests
{
    private static readonly SchedulerDriverOptions Fast = new()
    {
        MinBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
        InitialConnectTimeout = TimeSpan.FromSeconds(10),
    };

    private static FrameworkInfo Framework() => new() { User = "tester", Name = "driver-test", FailoverTimeout = 60, Roles = { "*" } };

    [Fact]
    public async Task Subscribe_FirstEventIsSubscribed_AndCallsCarryItsContext()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();

        var subscription = await master.Scheduler.NextSubscriptionAsync();
        Assert.Equal("driver-test", subscription.Request.FrameworkInfo.Name);
        Assert.Equal(string.Empty, subscription.Request.FrameworkInfo.Id);
        subscription.SendSubscribed("fw-1", "stream-1");

        var first = await NextAsync(driver);
        Assert.Equal("fw-1", first.Subscribed.FrameworkId);
        Assert.Equal("fw-1", driver.FrameworkId);
        Assert.Equal("stream-1", driver.StreamId);

        await driver.DeclineAsync(["offer-1"], new Filters { RefuseSeconds = 1 });
        await driver.ReviveAsync();
        await driver.SuppressAsync(["*"]);
        await driver.KillAsync("task-1", "agent-1");
        await driver.ReconcileAsync([new ReconcileRequest.Types.Task { TaskId = "task-1" }]);

        var decline = Assert.Single(await master.Scheduler.WaitForCallsAsync<DeclineRequest>());
        Assert.Equal(new CallContext { FrameworkId = "fw-1", StreamId = "stream-1" }, decline.Context);
        Assert.Equal(["offer-1"], decline.OfferIds);
        Assert.Equal(1, decline.Filters.RefuseSeconds);
        Assert.Equal("stream-1", Assert.Single(await master.Scheduler.WaitForCallsAsync<ReviveRequest>()).Context.StreamId);
        Assert.Equal(["*"], Assert.Single(await master.Scheduler.WaitForCallsAsync<SuppressRequest>()).Roles);
        var kill = Assert.Single(await master.Scheduler.WaitForCallsAsync<KillRequest>());
        Assert.Equal(("task-1", "agent-1", "fw-1"), (kill.TaskId, kill.AgentId, kill.Context.FrameworkId));
        Assert.Equal("task-1", Assert.Single(Assert.Single(await master.Scheduler.WaitForCallsAsync<ReconcileRequest>()).Tasks).TaskId);
    }

    [Fact]
    public async Task Acknowledge_OnlyUpdatesWithAUuid_AreSent()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();
        (await master.Scheduler.NextSubscriptionAsync()).SendSubscribed("fw-1", "stream-1");
        await NextAsync(driver);

        await driver.AcknowledgeAsync(new TaskStatus { TaskId = "t", AgentId = "a", State = TaskState.TaskLost });
        await driver.AcknowledgeAsync(new TaskStatus { TaskId = "t", AgentId = "a", State = TaskState.TaskRunning, Uuid = ByteString.CopyFromUtf8("u-1") });

        var ack = Assert.Single(await master.Scheduler.WaitForCallsAsync<AcknowledgeRequest>());
        Assert.Equal(("t", "a", "u-1", "stream-1"), (ack.TaskId, ack.AgentId, ack.Uuid.ToStringUtf8(), ack.Context.StreamId));
    }

    [Fact]
    public async Task StreamBreaks_ResubscribesWithTheSameFrameworkId_ThenReconcilesImplicitly()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();
        var first = await master.Scheduler.NextSubscriptionAsync();
        first.SendSubscribed("fw-1", "stream-1");
        await NextAsync(driver);

        first.Close();
        var second = await master.Scheduler.NextSubscriptionAsync();
        Assert.Equal("fw-1", second.Request.FrameworkInfo.Id);
        Assert.Equal(60, second.Request.FrameworkInfo.FailoverTimeout);
        second.SendSubscribed("fw-1", "stream-2");

        var again = await NextAsync(driver);
        Assert.Equal("fw-1", again.Subscribed.FrameworkId);
        var reconcile = Assert.Single(await master.Scheduler.WaitForCallsAsync<ReconcileRequest>());
        Assert.Empty(reconcile.Tasks);
        Assert.Equal(new CallContext { FrameworkId = "fw-1", StreamId = "stream-2" }, reconcile.Context);

        await driver.DeclineAsync(["offer-2"]);
        Assert.Equal("stream-2", Assert.Single(await master.Scheduler.WaitForCallsAsync<DeclineRequest>()).Context.StreamId);
    }

    [Fact]
    public async Task EventsBetweenSubscriptions_ReachTheConsumerInOrder()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();
        var first = await master.Scheduler.NextSubscriptionAsync();
        first.SendSubscribed("fw-1", "stream-1");
        first.Send(new SchedulerEvent { Rescind = new SchedulerEvent.Types.Rescind { OfferId = "o-1" } });
        first.Close();
        (await master.Scheduler.NextSubscriptionAsync()).SendSubscribed("fw-1", "stream-2");

        Assert.Equal(SchedulerEvent.EventOneofCase.Subscribed, (await NextAsync(driver)).EventCase);
        Assert.Equal("o-1", (await NextAsync(driver)).Rescind.OfferId);
        Assert.Equal("stream-2", (await NextAsync(driver)).Subscribed.StreamId);
    }

    [Fact]
    public async Task NoEventForMissedHeartbeats_Reconnects()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast with { MissedHeartbeats = 5 });
        driver.Start();
        var first = await master.Scheduler.NextSubscriptionAsync();
        var clock = Stopwatch.StartNew();
        first.SendSubscribed("fw-1", "stream-1", heartbeatSeconds: 0.05);

        var second = await master.Scheduler.NextSubscriptionAsync(TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(200), $"reconnected after {clock.Elapsed}");
        Assert.Equal("fw-1", second.Request.FrameworkInfo.Id);
    }

    [Fact]
    public async Task HeartbeatsKeepTheStream()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();
        var first = await master.Scheduler.NextSubscriptionAsync();
        first.SendSubscribed("fw-1", "stream-1", heartbeatSeconds: 0.2);
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(50);
            first.Send(new SchedulerEvent { Heartbeat = new SchedulerEvent.Types.Heartbeat() });
        }

        Assert.Single(master.Scheduler.Calls.OfType<SubscribeRequest>());
        Assert.True(driver.IsSubscribed);
    }

    [Fact]
    public async Task ErrorEvent_IsDelivered_ThenTheStreamCompletes()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();
        var subscription = await master.Scheduler.NextSubscriptionAsync();
        subscription.Send(new SchedulerEvent { Error = new SchedulerEvent.Types.Error { Message = "Framework has been removed" } });

        var events = await ReadAllAsync(driver);
        Assert.Equal("Framework has been removed", Assert.Single(events).Error.Message);
        Assert.Single(master.Scheduler.Calls.OfType<SubscribeRequest>());
    }

    [Fact]
    public async Task SubscriptionRefused_FailsTheStream_WithoutRetrying()
    {
        await using var master = await FakeMaster.StartAsync();
        master.Scheduler.SubscribeError = new RpcException(new Status(StatusCode.InvalidArgument, "FrameworkInfo.user is empty"));
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();

        var error = await Assert.ThrowsAsync<SchedulerDriverException>(() => ReadAllAsync(driver));
        Assert.Contains("FrameworkInfo.user is empty", error.Message, StringComparison.Ordinal);
        Assert.Single(master.Scheduler.Calls.OfType<SubscribeRequest>());
    }

    [Fact]
    public async Task UnreachableMaster_FailsAfterTheInitialConnectTimeout()
    {
        var address = $"127.0.0.1:{FakeMaster.ClosedPort()}";
        using var connection = new MasterConnection(address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast with { InitialConnectTimeout = TimeSpan.FromMilliseconds(500) });
        var clock = Stopwatch.StartNew();
        driver.Start();

        var error = await Assert.ThrowsAsync<MasterUnreachableException>(() => ReadAllAsync(driver));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        Assert.Equal($"Failed to connect to master at {address}: Connection refused", error.Message);
        await Assert.ThrowsAsync<MasterUnreachableException>(() => driver.DeclineAsync(["o"]));
    }

    [Fact]
    public async Task MasterList_UnreachableFirst_SubscribesToTheNext()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection($"127.0.0.1:{FakeMaster.ClosedPort()},{master.Address}");
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();
        (await master.Scheduler.NextSubscriptionAsync()).SendSubscribed("fw-1", "stream-1");

        await NextAsync(driver);
        Assert.Equal(master.Port, driver.Master!.Port);
        Assert.Equal(master.Port, connection.Preferred.Port);
    }

    [Fact]
    public async Task Teardown_EndsTheStream_WithoutResubscribing()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        driver.Start();
        (await master.Scheduler.NextSubscriptionAsync()).SendSubscribed("fw-1", "stream-1");
        await NextAsync(driver);

        await driver.TeardownAsync();

        Assert.Empty(await ReadAllAsync(driver));
        Assert.Equal("fw-1", Assert.Single(master.Scheduler.Calls.OfType<TeardownRequest>()).Context.FrameworkId);
        Assert.Single(master.Scheduler.Calls.OfType<SubscribeRequest>());
    }

    [Fact]
    public async Task CallBeforeStart_Throws()
    {
        using var connection = new MasterConnection("127.0.0.1:5050");
        await using var driver = new SchedulerDriver(connection, Framework(), Fast);
        await Assert.ThrowsAsync<InvalidOperationException>(() => driver.ReviveAsync());
    }

    private static async Task<SchedulerEvent> NextAsync(SchedulerDriver driver)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await driver.Events.ReadAsync(bound.Token);
    }

    private static async Task<List<SchedulerEvent>> ReadAllAsync(SchedulerDriver driver)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<SchedulerEvent>();
        await foreach (var next in driver.ReadEventsAsync(bound.Token))
        {
            events.Add(next);
        }

        return events;
    }
}
