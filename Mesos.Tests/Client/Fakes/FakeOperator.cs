using System.Collections.Concurrent;
using Grpc.Core;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Client.Fakes;

/// <summary>The master's Operator service as a test double: answers GetState with whatever the test set.</summary>
public sealed class FakeOperator : Operator.OperatorBase
{
    public ClusterStateReply State { get; set; } = new();

    public ConcurrentQueue<GetStateRequest> StateRequests { get; } = new();

    public ConcurrentQueue<string> TornDown { get; } = new();

    public override Task<ClusterStateReply> GetState(GetStateRequest request, ServerCallContext context)
    {
        StateRequests.Enqueue(request);
        return Task.FromResult(State);
    }

    public override Task<TeardownFrameworkReply> TeardownFramework(TeardownFrameworkRequest request, ServerCallContext context)
    {
        TornDown.Enqueue(request.FrameworkId);
        return Task.FromResult(new TeardownFrameworkReply());
    }
}
