using System.Threading.Channels;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Client.Fakes;

/// <summary>One Subscribe call held open by <see cref="FakeScheduler"/>: the test decides what the stream carries and when it ends.</summary>
public sealed class FakeSubscription(SubscribeRequest request)
{
    private readonly Channel<SchedulerEvent> outgoing = Channel.CreateUnbounded<SchedulerEvent>();

    public SubscribeRequest Request { get; } = request;

    internal ChannelReader<SchedulerEvent> Outgoing => outgoing.Reader;

    public void Send(SchedulerEvent next) => outgoing.Writer.TryWrite(next);

    public void SendSubscribed(string frameworkId, string streamId, double heartbeatSeconds = 15) =>
        Send(new SchedulerEvent
        {
            Subscribed = new SchedulerEvent.Types.Subscribed
            {
                FrameworkId = frameworkId,
                StreamId = streamId,
                HeartbeatIntervalSeconds = heartbeatSeconds,
            },
        });

    /// <summary>Ends the stream as a master going away would.</summary>
    public void Close() => outgoing.Writer.TryComplete();
}
