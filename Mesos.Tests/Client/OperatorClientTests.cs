using Mesos.Client;
using Mesos.Protocol.V1;
using Mesos.Tests.Client.Fakes;

namespace Mesos.Tests.Client;

public sealed class OperatorClientTests
{
    [Fact]
    public async Task GetState_PassesMinPosition_AndReturnsTheReply()
    {
        await using var master = await FakeMaster.StartAsync();
        master.Operator.State = new ClusterStateReply { Position = 42, StateHash = "abc" };
        using var connection = new MasterConnection(master.Address);

        var state = await new OperatorClient(connection).GetStateAsync(minPosition: 40);

        Assert.Equal(42, state.Position);
        Assert.True(master.Operator.StateRequests.TryDequeue(out var request));
        Assert.Equal(40, request.MinPosition);
    }

    [Fact]
    public async Task TeardownFramework_SendsTheId()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection(master.Address);

        await new OperatorClient(connection).TeardownFrameworkAsync("fw-7");

        Assert.Equal(["fw-7"], master.Operator.TornDown);
    }

    [Fact]
    public async Task MasterList_SkipsAnUnreachableMaster()
    {
        await using var master = await FakeMaster.StartAsync();
        using var connection = new MasterConnection($"127.0.0.1:{FakeMaster.ClosedPort()},{master.Address}");

        await new OperatorClient(connection).GetStateAsync();

        Assert.Equal(master.Port, connection.Preferred.Port);
    }

    [Fact]
    public async Task NoMasterReachable_ThrowsMasterUnreachable()
    {
        var address = $"127.0.0.1:{FakeMaster.ClosedPort()}";
        using var connection = new MasterConnection(address);

        var error = await Assert.ThrowsAsync<MasterUnreachableException>(() => new OperatorClient(connection).GetStateAsync());

        Assert.Equal($"Failed to connect to master at {address}: Connection refused", error.Message);
    }
}
