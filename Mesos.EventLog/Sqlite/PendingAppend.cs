using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;

namespace Mesos.EventLog.Sqlite;

/// <summary>
/// One caller's append waiting for the committer. Cancellation and the committer race for it: whichever takes it
/// first wins, so a caller told "cancelled" is sure its events were not written, and one whose append was taken
/// gets the true outcome.
/// </summary>
internal sealed class PendingAppend(EncodedEvent[] events, long? expectedPosition)
{
    private const int Waiting = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource<AppendResult> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration registration;
    private int state;

    public EncodedEvent[] Events { get; } = events;

    public long? ExpectedPosition { get; } = expectedPosition;

    /// <summary>Set by the committer inside the transaction; handed to the caller only once the transaction committed.</summary>
    public AppendResult? Outcome { get; set; }

    public Task<AppendResult> Task => completion.Task;

    public void ObserveCancellation(CancellationToken ct)
    {
        if (ct.CanBeCanceled)
        {
            registration = ct.UnsafeRegister(static (self, token) => ((PendingAppend)self!).TryCancel(token), this);
        }
    }

    public bool TryClaim() => Interlocked.CompareExchange(ref state, Claimed, Waiting) == Waiting;

    public void Complete()
    {
        registration.Dispose();
        completion.TrySetResult(Outcome ?? throw new InvalidOperationException("completed an append without an outcome"));
    }

    public void Fail(Exception error)
    {
        registration.Dispose();
        completion.TrySetException(error);
    }

    private void TryCancel(CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref state, Cancelled, Waiting) == Waiting)
        {
            completion.TrySetCanceled(ct);
        }
    }
}
