namespace Mesos.Master.Loop;

/// <summary>
/// Asks for an allocation cycle before the next interval, when something freed or added resources or a
/// framework became able to take them. Requests coalesce: many asks before the cycle starts make one cycle.
/// </summary>
public sealed class AllocationTrigger
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Request()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Someone else asked at the same moment; one pending request is enough.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);
}
