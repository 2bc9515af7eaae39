using System.Threading.Channels;
using Mesos.Agent.StatusUpdates;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

/// <summary>Stands in for the master: records every send with the (fake) time it happened and answers as told.</summary>
internal sealed class FakeStatusUpdateSender(TimeProvider time) : IStatusUpdateSender
{
    private readonly Channel<(TaskStatus Status, DateTimeOffset At)> _sends = Channel.CreateUnbounded<(TaskStatus, DateTimeOffset)>();
    private readonly Lock _gate = new();
    private readonly List<(TaskStatus Status, DateTimeOffset At)> _all = [];

    public Func<TaskStatus, SendOutcome> Answer { get; set; } = _ => SendOutcome.Accepted;

    public IReadOnlyList<(TaskStatus Status, DateTimeOffset At)> All
    {
        get
        {
            lock (_gate)
            {
                return _all.ToList();
            }
        }
    }

    public Task<SendOutcome> SendAsync(TaskStatus status, CancellationToken cancellationToken)
    {
        var send = (status, time.GetUtcNow());
        lock (_gate)
        {
            _all.Add(send);
        }

        _sends.Writer.TryWrite(send);
        return Task.FromResult(Answer(status));
    }

    /// <summary>The next send not yet taken, waiting for it in real time.</summary>
    public async Task<(TaskStatus Status, DateTimeOffset At)> NextAsync() =>
        await _sends.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>Whether a send is waiting to be taken, after letting the manager's loop run for a moment.</summary>
    public async Task<bool> HasMoreAsync()
    {
        await Task.Delay(150);
        return _sends.Reader.TryPeek(out _);
    }
}
