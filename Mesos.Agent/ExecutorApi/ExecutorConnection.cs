using System.Threading.Channels;
using WireExecutor = Mesos.Protocol.Wire.Executor;

namespace Mesos.Agent.ExecutorApi;

/// <summary>
/// One subscribed executor's event stream (the SUBSCRIBE response): events queue here in the order the agent sends
/// them and the HTTP handler writes each as one RecordIO record in the encoding the executor asked for.
/// </summary>
public sealed class ExecutorConnection(string contentType)
{
    private static readonly WireExecutor.Event Heartbeat = new() { Type = WireExecutor.Event.Types.Type.Heartbeat };

    private readonly Channel<byte[]> _records = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private ITimer? _heartbeats;

    public string ContentType { get; } = contentType;

    public ChannelReader<byte[]> Records => _records.Reader;

    public void Send(WireExecutor.Event @event) => _records.Writer.TryWrite(ExecutorWire.Encode(@event, ContentType));

    /// <summary>
    /// Mesos' agent sends an HTTP executor a HEARTBEAT every interval (30 minutes) for as long as it is subscribed, so
    /// that idle connections are not reaped by proxies and a dead one is noticed.
    /// </summary>
    public void StartHeartbeats(TimeProvider time, TimeSpan interval) =>
        _heartbeats = time.CreateTimer(_ => Send(Heartbeat), null, interval, interval);

    /// <summary>Ends the stream after what is queued, as Mesos closes an executor's connection.</summary>
    public void Close()
    {
        _heartbeats?.Dispose();
        _records.Writer.TryComplete();
    }
}
