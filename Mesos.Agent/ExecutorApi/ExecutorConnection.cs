using System.Threading.Channels;
using WireExecutor = Mesos.Protocol.Wire.Executor;

namespace Mesos.Agent.ExecutorApi;

/// <summary>
/// One subscribed executor's event stream (the SUBSCRIBE response): events queue here in the order the agent sends
/// them and the HTTP handler writes each as one RecordIO record in the encoding the executor asked for.
/// </summary>
public sealed class ExecutorConnection(string contentType)
{
    private readonly Channel<byte[]> _records = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public string ContentType { get; } = contentType;

    public ChannelReader<byte[]> Records => _records.Reader;

    public void Send(WireExecutor.Event @event) => _records.Writer.TryWrite(ExecutorWire.Encode(@event, ContentType));

    /// <summary>Ends the stream after what is queued, as Mesos closes an executor's connection.</summary>
    public void Close() => _records.Writer.TryComplete();
}
