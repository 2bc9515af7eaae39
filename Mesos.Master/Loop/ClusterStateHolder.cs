namespace Mesos.Master.Loop;

/// <summary>
/// The latest committed snapshot, published by the master loop after each durable batch. Readers never block
/// the writer; a reader that needs its own write waits for the position it was told.
/// </summary>
public sealed class ClusterStateHolder
{
    private readonly object gate = new();
    private ClusterSnapshot current;
    private TaskCompletionSource advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterStateHolder(ClusterSnapshot initial) => current = initial;

    public ClusterSnapshot Current => Volatile.Read(ref current);

    public void Publish(ClusterSnapshot snapshot)
    {
        TaskCompletionSource toSignal;
        lock (gate)
        {
            Volatile.Write(ref current, snapshot);
            toSignal = advanced;
            advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        toSignal.TrySetResult();
    }

    public async ValueTask<ClusterSnapshot> AtLeastAsync(long position, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if (current.Position >= position)
                {
                    return current;
                }

                wait = advanced.Task;
            }

            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }
}
