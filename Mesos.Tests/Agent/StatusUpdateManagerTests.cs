using Google.Protobuf;
using Mesos.Agent.StatusUpdates;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

public sealed class StatusUpdateManagerTests : IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(40);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeStatusUpdateSender _sender;
    private readonly StatusUpdateManager _manager;
    private readonly List<TaskStatus> _closed = [];

    public StatusUpdateManagerTests()
    {
        _sender = new FakeStatusUpdateSender(_time);
        _manager = new StatusUpdateManager(_sender, _time, NullLogger.Instance, Retry, RetryMax, s =>
        {
            lock (_closed)
            {
                _closed.Add(s);
            }
        });
        _manager.Start();
    }

    public ValueTask DisposeAsync() => _manager.DisposeAsync();

    [Fact]
    public async Task Enqueue_TwoUpdates_SendsTheSecondOnlyAfterTheFirstIsAcknowledged()
    {
        var starting = Update("t1", TaskState.TaskStarting);
        var running = Update("t1", TaskState.TaskRunning);
        _manager.Enqueue(starting);
        _manager.Enqueue(running);

        Assert.Equal(starting.Uuid, (await _sender.NextAsync()).Status.Uuid);
        Assert.False(await _sender.HasMoreAsync(), "the second update went out before the first was acknowledged");

        Assert.Equal(AcknowledgeOutcome.Acknowledged, _manager.Acknowledge("f1", "t1", starting.Uuid));

        Assert.Equal(running.Uuid, (await _sender.NextAsync()).Status.Uuid);
        Assert.False(await _sender.HasMoreAsync());
    }

    [Fact]
    public async Task Unacknowledged_HeadIsResentWithDoublingBackoffAndNothingBehindItOvertakes()
    {
        var running = Update("t1", TaskState.TaskRunning);
        var finished = Update("t1", TaskState.TaskFinished);
        _manager.Enqueue(running);
        _manager.Enqueue(finished);
        var first = await _sender.NextAsync();

        var resends = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var resend = await AdvanceUntilSentAsync();
            Assert.Equal(running.Uuid, resend.Status.Uuid);
            resends.Add(resend.At - first.At);
        }

        // 10 s, then +20 s, then +40 s (the cap), then +40 s; a stepping clock may land up to one step late.
        Assert.Equal([10, 30, 70, 110], resends.Select(r => Math.Floor(r.TotalSeconds)).Select(s => s - (s % 10)));
        Assert.DoesNotContain(_sender.All, s => s.Status.Uuid == finished.Uuid);

        _manager.Acknowledge("f1", "t1", running.Uuid);
        Assert.Equal(finished.Uuid, (await _sender.NextAsync()).Status.Uuid);
    }

    [Fact]
    public async Task Acknowledge_TerminalUpdate_ClosesTheStreamAndIgnoresLaterUpdates()
    {
        var failed = Update("t1", TaskState.TaskFailed);
        _manager.Enqueue(failed);
        await _sender.NextAsync();

        Assert.Equal(AcknowledgeOutcome.StreamClosed, _manager.Acknowledge("f1", "t1", failed.Uuid));

        Assert.Equal(failed.Uuid, Assert.Single(_closed).Uuid);
        Assert.Empty(_manager.Pending("f1", "t1"));
        Assert.Equal(AcknowledgeOutcome.Ignored, _manager.Acknowledge("f1", "t1", failed.Uuid));
    }

    [Fact]
    public async Task Acknowledge_WrongUuid_KeepsTheHead()
    {
        var running = Update("t1", TaskState.TaskRunning);
        _manager.Enqueue(running);
        await _sender.NextAsync();

        Assert.Equal(AcknowledgeOutcome.Ignored, _manager.Acknowledge("f1", "t1", ByteString.CopyFrom(Guid.NewGuid().ToByteArray())));

        Assert.Equal(running.Uuid, Assert.Single(_manager.Pending("f1", "t1")).Uuid);
    }

    [Fact]
    public async Task Rejected_HeadIsDroppedAndTheNextGoesOut()
    {
        var bogus = Update("t1", TaskState.TaskStarting);
        var running = Update("t1", TaskState.TaskRunning);
        _sender.Answer = s => s.Uuid == bogus.Uuid ? SendOutcome.Rejected : SendOutcome.Accepted;
        _manager.Enqueue(bogus);
        _manager.Enqueue(running);

        Assert.Equal(bogus.Uuid, (await _sender.NextAsync()).Status.Uuid);
        Assert.Equal(running.Uuid, (await _sender.NextAsync()).Status.Uuid);
        Assert.Equal(running.Uuid, Assert.Single(_manager.Pending("f1", "t1")).Uuid);
    }

    [Fact]
    public async Task RetryNow_ResendsEveryHeadAtOnce()
    {
        var a = Update("a", TaskState.TaskRunning);
        var b = Update("b", TaskState.TaskRunning);
        _sender.Answer = _ => SendOutcome.Unavailable;
        _manager.Enqueue(a);
        _manager.Enqueue(b);
        await _sender.NextAsync();
        await _sender.NextAsync();
        _sender.Answer = _ => SendOutcome.Accepted;

        _manager.RetryNow();

        var resent = new[] { (await _sender.NextAsync()).Status.Uuid, (await _sender.NextAsync()).Status.Uuid };
        Assert.Equal([a.Uuid, b.Uuid], resent);
        Assert.Equal(_time.GetUtcNow(), _sender.All[^1].At);
    }

    [Fact]
    public void Enqueue_DuplicateUuidOrAfterTerminal_IsIgnored()
    {
        var killed = Update("t1", TaskState.TaskKilled);

        Assert.True(_manager.Enqueue(killed));
        Assert.False(_manager.Enqueue(killed));
        Assert.False(_manager.Enqueue(Update("t1", TaskState.TaskRunning)));
        Assert.Single(_manager.Pending("f1", "t1"));
    }

    /// <summary>Moves the fake clock on in one-second steps until the manager sends again.</summary>
    private async Task<(TaskStatus Status, DateTimeOffset At)> AdvanceUntilSentAsync()
    {
        var next = _sender.NextAsync();
        for (var step = 0; step < 120; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            if (await Task.WhenAny(next, Task.Delay(15)) == next)
            {
                return await next;
            }
        }

        throw new Xunit.Sdk.XunitException("the head was not resent within 120 s");
    }

    private static TaskStatus Update(string taskId, TaskState state) => new()
    {
        TaskId = taskId,
        FrameworkId = "f1",
        AgentId = "S0",
        State = state,
        Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
        Source = TaskStatus.Types.Source.Executor,
    };
}
