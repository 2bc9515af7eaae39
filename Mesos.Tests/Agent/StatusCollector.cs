using Mesos.Agent.Executor;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

/// <summary>Collects what an executor reports, in order, and lets a test wait for a given state.</summary>
internal sealed class StatusCollector
{
    private readonly Lock _gate = new();
    private readonly List<TaskStatus> _statuses = [];
    private readonly List<(Func<TaskStatus, bool> Match, TaskCompletionSource<TaskStatus> Done)> _waiters = [];

    public IReadOnlyList<TaskStatus> Statuses
    {
        get
        {
            lock (_gate)
            {
                return _statuses.ToList();
            }
        }
    }

    public void Report(TaskStatus status)
    {
        lock (_gate)
        {
            _statuses.Add(status);
            foreach (var waiter in _waiters.Where(w => w.Match(status)).ToList())
            {
                waiter.Done.TrySetResult(status);
                _waiters.Remove(waiter);
            }
        }
    }

    public Task<TaskStatus> WaitForAsync(Func<TaskStatus, bool> match, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_statuses.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<TaskStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(timeout);
        }
    }

    public Task<TaskStatus> WaitForTerminalAsync() => WaitForAsync(s => CommandExecutor.IsTerminal(s.State), TimeSpan.FromSeconds(30));
}
