using System.Threading.Channels;
using Grpc.Core;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Agent;

/// <summary>
/// The master's side of the agent protocol, scripted by a test: registers whoever attaches, records what the
/// agent sends, and sends what the test tells it to on the current attach stream.
/// </summary>
internal sealed class FakeMasterService : AgentRegistry.AgentRegistryBase
{
    private readonly Channel<AttachRequest> _attaches = Channel.CreateUnbounded<AttachRequest>();
    private readonly Channel<StatusUpdateRequest> _updates = Channel.CreateUnbounded<StatusUpdateRequest>();
    private readonly Lock _gate = new();
    private Channel<MasterToAgent>? _outbox;
    private int _nextAgent;

    public double HeartbeatIntervalSeconds { get; set; } = 60;

    /// <summary>What heartbeats answer; false makes the agent re-attach.</summary>
    public bool KnowsAgent { get; set; } = true;

    public int Heartbeats;

    public override async Task Attach(AttachRequest request, IServerStreamWriter<MasterToAgent> responseStream, ServerCallContext context)
    {
        var outbox = Channel.CreateUnbounded<MasterToAgent>();
        var agentId = request.AgentId.Length > 0 ? request.AgentId : $"master-1-S{Interlocked.Increment(ref _nextAgent)}";
        await responseStream.WriteAsync(new MasterToAgent
        {
            Registered = new MasterToAgent.Types.Registered
            {
                AgentId = agentId,
                HeartbeatIntervalSeconds = HeartbeatIntervalSeconds,
                Reregistered = request.AgentId.Length > 0,
            },
        });
        lock (_gate)
        {
            _outbox?.Writer.TryComplete();
            _outbox = outbox;
        }

        KnowsAgent = true;
        _attaches.Writer.TryWrite(request);
        try
        {
            await foreach (var message in outbox.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(message);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref Heartbeats);
        return Task.FromResult(new HeartbeatReply { Known = KnowsAgent });
    }

    public override Task<StatusUpdateReply> SendStatusUpdate(StatusUpdateRequest request, ServerCallContext context)
    {
        _updates.Writer.TryWrite(request);
        return Task.FromResult(new StatusUpdateReply());
    }

    public void Send(MasterToAgent message)
    {
        lock (_gate)
        {
            Assert.True(_outbox?.Writer.TryWrite(message), "no agent is attached");
        }
    }

    /// <summary>Ends the current attach stream, as a master that restarts or drops the connection would.</summary>
    public void EndStream()
    {
        lock (_gate)
        {
            _outbox?.Writer.TryComplete();
            _outbox = null;
        }
    }

    public Task<AttachRequest> NextAttachAsync() => _attaches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public Task<StatusUpdateRequest> NextUpdateAsync() => _updates.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public async Task<bool> HasMoreUpdatesAsync()
    {
        await Task.Delay(300);
        return _updates.Reader.TryPeek(out _);
    }
}
