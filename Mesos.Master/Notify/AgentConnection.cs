using System.Threading.Channels;
using Mesos.Core.Ids;
using Mesos.Protocol.V1;

namespace Mesos.Master.Notify;

/// <summary>One agent's live stream of work from the master.</summary>
public sealed class AgentConnection(AgentId agentId)
{
    private readonly Channel<MasterToAgent> outbox = Channel.CreateUnbounded<MasterToAgent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource closed = new();

    public AgentId AgentId { get; } = agentId;

    public ChannelReader<MasterToAgent> Outbox => outbox.Reader;

    public CancellationToken Closed => closed.Token;

    public void Send(MasterToAgent message) => outbox.Writer.TryWrite(message);

    /// <summary>Sends <paramref name="last"/> and ends the stream once it is written (Close would drop what is queued).</summary>
    public void Finish(MasterToAgent last)
    {
        outbox.Writer.TryWrite(last);
        outbox.Writer.TryComplete();
    }

    public void Close(string? error)
    {
        if (error is not null)
        {
            outbox.Writer.TryWrite(new MasterToAgent { Error = new MasterToAgent.Types.Error { Message = error } });
        }

        outbox.Writer.TryComplete();
        closed.Cancel();
    }
}
