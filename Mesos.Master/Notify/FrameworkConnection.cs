using System.Threading.Channels;
using Mesos.Core.Ids;
using Mesos.Protocol.V1;

namespace Mesos.Master.Notify;

/// <summary>
/// One framework's live event stream. Events queue here and the stream's writer drains them; a newer
/// subscription of the same framework closes this one (Mesos: the old stream gets an ERROR).
/// </summary>
public sealed class FrameworkConnection(FrameworkId frameworkId, string streamId)
{
    private readonly Channel<SchedulerEvent> outbox = Channel.CreateUnbounded<SchedulerEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource closed = new();

    public FrameworkId FrameworkId { get; } = frameworkId;

    public string StreamId { get; } = streamId;

    public ChannelReader<SchedulerEvent> Outbox => outbox.Reader;

    public CancellationToken Closed => closed.Token;

    public void Send(SchedulerEvent @event) => outbox.Writer.TryWrite(@event);

    public void Close(string? error)
    {
        if (error is not null)
        {
            outbox.Writer.TryWrite(new SchedulerEvent { Error = new SchedulerEvent.Types.Error { Message = error } });
        }

        outbox.Writer.TryComplete();
        closed.Cancel();
    }
}
