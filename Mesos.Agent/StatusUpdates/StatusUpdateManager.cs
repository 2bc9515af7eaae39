using Google.Protobuf;
using Mesos.Agent.Executor;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.StatusUpdates;

/// <summary>
/// Mesos' task status update manager: one ordered stream per task; only the head of each stream is sent, and
/// it is resent (10 s, doubling to 10 min) until the framework's acknowledgement for its uuid comes back from
/// the master. Only then does the next update of that task go out. A terminal update closes the stream.
/// </summary>
public sealed class StatusUpdateManager : IAsyncDisposable
{
    private readonly IStatusUpdateSender _sender;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TimeSpan _retryInterval;
    private readonly TimeSpan _retryMax;
    private readonly Action<TaskStatus> _streamClosed;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string FrameworkId, string TaskId), StatusUpdateStream> _streams = [];
    private readonly CancellationTokenSource _stopping = new();

    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextOrder;
    private Task? _loop;

    /// <param name="streamClosed">Called (outside any lock) with the terminal update once it is acknowledged or rejected.</param>
    public StatusUpdateManager(
        IStatusUpdateSender sender,
        TimeProvider time,
        ILogger log,
        TimeSpan retryInterval,
        TimeSpan retryMax,
        Action<TaskStatus>? streamClosed = null)
    {
        _sender = sender;
        _time = time;
        _log = log;
        _retryInterval = retryInterval;
        _retryMax = retryMax;
        _streamClosed = streamClosed ?? (_ => { });
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Queues an update behind the task's earlier ones; false when it is a duplicate or follows a terminal update.</summary>
    public bool Enqueue(TaskStatus status)
    {
        lock (_gate)
        {
            var key = (status.FrameworkId, status.TaskId);
            if (!_streams.TryGetValue(key, out var stream))
            {
                stream = new StatusUpdateStream(status.FrameworkId, status.TaskId, _nextOrder++, _retryInterval);
                _streams[key] = stream;
            }

            if (stream.TerminalQueued || !stream.SeenUuids.Add(status.Uuid))
            {
                _log.LogWarning("Ignoring status update {State} for task {TaskId} of framework {FrameworkId}: {Why}",
                    status.State, status.TaskId, status.FrameworkId, stream.TerminalQueued ? "the task already has a terminal update" : "duplicate uuid");
                return false;
            }

            stream.TerminalQueued = CommandExecutor.IsTerminal(status.State);
            stream.Updates.Enqueue(status);
            WakeLocked();
            return true;
        }
    }

    /// <summary>The framework acknowledged <paramref name="uuid"/>: if it is the task's head, drop it and move on.</summary>
    public AcknowledgeOutcome Acknowledge(string frameworkId, string taskId, ByteString uuid)
    {
        TaskStatus? closed;
        lock (_gate)
        {
            if (!_streams.TryGetValue((frameworkId, taskId), out var stream)
                || !stream.Updates.TryPeek(out var head)
                || !head.Uuid.Equals(uuid))
            {
                _log.LogWarning("Ignoring acknowledgement of update {Uuid} for task {TaskId} of framework {FrameworkId}: not the pending update",
                    FormatUuid(uuid), taskId, frameworkId);
                return AcknowledgeOutcome.Ignored;
            }

            closed = PopHeadLocked(stream);
        }

        if (closed is not null)
        {
            _streamClosed(closed);
            return AcknowledgeOutcome.StreamClosed;
        }

        return AcknowledgeOutcome.Acknowledged;
    }

    /// <summary>Resends every stream's head now (after re-attaching to a master) and restarts the backoff.</summary>
    public void RetryNow()
    {
        lock (_gate)
        {
            foreach (var stream in _streams.Values)
            {
                stream.NextAttempt = null;
                stream.Interval = _retryInterval;
            }

            WakeLocked();
        }
    }

    /// <summary>Drops every stream of a framework that is gone: nobody is left to acknowledge them.</summary>
    public void Forget(string frameworkId)
    {
        lock (_gate)
        {
            foreach (var key in _streams.Keys.Where(k => k.FrameworkId == frameworkId).ToList())
            {
                _streams.Remove(key);
            }
        }
    }

    /// <summary>The updates of a task not yet acknowledged, oldest (the one being sent) first.</summary>
    public IReadOnlyList<TaskStatus> Pending(string frameworkId, string taskId)
    {
        lock (_gate)
        {
            return _streams.TryGetValue((frameworkId, taskId), out var stream) ? stream.Updates.ToList() : [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TaskStatus? due = null;
            TimeSpan? wait = null;
            Task wake;
            lock (_gate)
            {
                wake = _wake.Task;
                var now = _time.GetUtcNow();
                foreach (var stream in _streams.Values.OrderBy(s => s.Order))
                {
                    if (!stream.Updates.TryPeek(out var head))
                    {
                        continue;
                    }

                    if (stream.NextAttempt is not { } next || next <= now)
                    {
                        due = head;
                        stream.NextAttempt = now + stream.Interval;
                        stream.Interval = TimeSpan.FromTicks(Math.Min(stream.Interval.Ticks * 2, _retryMax.Ticks));
                        break;
                    }

                    var left = next - now;
                    wait = wait is { } w && w < left ? w : left;
                }
            }

            if (due is not null)
            {
                await SendAsync(due, stopping).ConfigureAwait(false);
                continue;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var delay = Task.Delay(wait ?? Timeout.InfiniteTimeSpan, _time, waiting.Token);
            await Task.WhenAny(wake, delay).ConfigureAwait(false);
            await waiting.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task SendAsync(TaskStatus update, CancellationToken stopping)
    {
        SendOutcome outcome;
        try
        {
            outcome = await _sender.SendAsync(update, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "Sending status update {State} for task {TaskId} failed; it will be retried", update.State, update.TaskId);
            return;
        }

        if (outcome != SendOutcome.Rejected)
        {
            return;
        }

        _log.LogWarning("The master rejected status update {State} ({Uuid}) for task {TaskId} of framework {FrameworkId}; dropping it",
            update.State, FormatUuid(update.Uuid), update.TaskId, update.FrameworkId);
        TaskStatus? closed = null;
        lock (_gate)
        {
            // It may have been acknowledged meanwhile; only drop it if it is still the head.
            if (_streams.TryGetValue((update.FrameworkId, update.TaskId), out var stream)
                && stream.Updates.TryPeek(out var head) && head.Uuid.Equals(update.Uuid))
            {
                closed = PopHeadLocked(stream);
            }
        }

        if (closed is not null)
        {
            _streamClosed(closed);
        }
    }

    /// <summary>Removes the head; returns it when it was terminal, which closes the stream.</summary>
    private TaskStatus? PopHeadLocked(StatusUpdateStream stream)
    {
        var head = stream.Updates.Dequeue();
        stream.NextAttempt = null;
        stream.Interval = _retryInterval;
        WakeLocked();
        if (!CommandExecutor.IsTerminal(head.State))
        {
            return null;
        }

        _streams.Remove((stream.FrameworkId, stream.TaskId));
        return head;
    }

    private void WakeLocked()
    {
        _wake.TrySetResult();
        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static string FormatUuid(ByteString uuid) => uuid.Length == 16 ? new Guid(uuid.Span).ToString() : Convert.ToHexString(uuid.Span);
}
