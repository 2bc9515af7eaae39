namespace Mesos.EventLog.Sqlite;

/// <summary>Wakes in-process tails after each commit. A tail takes <see cref="Next"/> before it reads, so no commit slips between its read and its wait.</summary>
internal sealed class CommitSignal
{
    private TaskCompletionSource next = NewSource();

    public Task Next => Volatile.Read(ref next).Task;

    public void Notify() => Interlocked.Exchange(ref next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
