using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Client.Fakes;

/// <summary>
/// The master's Scheduler service as a test double: records every call, hands each subscription to the test,
/// and lets the test make Accept fail. Teardown closes the subscription's stream as the master does.
/// </summary>
public sealed class FakeScheduler : Scheduler.SchedulerBase
{
    private readonly Channel<FakeSubscription> subscriptions = Channel.CreateUnbounded<FakeSubscription>();
    private readonly ConcurrentQueue<IMessage> calls = new();
    private FakeSubscription? current;

    /// <summary>Thrown by Accept when set, as a master rejecting a launch would.</summary>
    public RpcException? AcceptError { get; set; }

    /// <summary>Thrown by Subscribe when set.</summary>
    public RpcException? SubscribeError { get; set; }

    public IReadOnlyList<IMessage> Calls => [.. calls];

    public async Task<FakeSubscription> NextSubscriptionAsync(TimeSpan? timeout = null)
    {
        using var bound = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await subscriptions.Reader.ReadAsync(bound.Token);
    }

    /// <summary>Waits until <paramref name="count"/> calls of type <typeparamref name="T"/> matching <paramref name="where"/> arrived.</summary>
    public async Task<IReadOnlyList<T>> WaitForCallsAsync<T>(int count = 1, Func<T, bool>? where = null, TimeSpan? timeout = null)
        where T : IMessage
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var matching = calls.OfType<T>().Where(c => where?.Invoke(c) ?? true).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"expected {count} {typeof(T).Name} call(s), got {matching.Count}; calls: {string.Join(", ", calls.Select(c => c.GetType().Name))}");
            }

            await Task.Delay(10);
        }
    }

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<SchedulerEvent> responseStream, ServerCallContext context)
    {
        calls.Enqueue(request);
        if (SubscribeError is { } error)
        {
            throw error;
        }

        var subscription = new FakeSubscription(request);
        current = subscription;
        subscriptions.Writer.TryWrite(subscription);
        try
        {
            await foreach (var next in subscription.Outgoing.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(next, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override Task<CallReply> Accept(AcceptRequest request, ServerCallContext context)
    {
        calls.Enqueue(request);
        return AcceptError is { } error ? throw error : Reply();
    }

    public override Task<CallReply> Decline(DeclineRequest request, ServerCallContext context) => Record(request);

    public override Task<CallReply> Revive(ReviveRequest request, ServerCallContext context) => Record(request);

    public override Task<CallReply> Suppress(SuppressRequest request, ServerCallContext context) => Record(request);

    public override Task<CallReply> Kill(KillRequest request, ServerCallContext context) => Record(request);

    public override Task<CallReply> Acknowledge(AcknowledgeRequest request, ServerCallContext context) => Record(request);

    public override Task<CallReply> Reconcile(ReconcileRequest request, ServerCallContext context) => Record(request);

    public override Task<CallReply> Teardown(TeardownRequest request, ServerCallContext context)
    {
        calls.Enqueue(request);
        current?.Close();
        return Reply();
    }

    private static Task<CallReply> Reply() => Task.FromResult(new CallReply());

    private Task<CallReply> Record(IMessage request)
    {
        calls.Enqueue(request);
        return Reply();
    }
}
