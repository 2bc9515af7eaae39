using Grpc.Core;
using Mesos.Protocol.V1;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Master;

/// <summary>GET_/UPDATE_WEIGHTS and GET_/UPDATE_QUOTA over the Operator gRPC service, with Mesos 1.11's validation.</summary>
public sealed class OperatorQuotaTests
{
    private static QuotaConfig Config(string role, string guarantees, string limits)
    {
        static void Fill(Google.Protobuf.Collections.MapField<string, Value.Types.Scalar> into, string text)
        {
            foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                into[part.Split(':')[0]] = new Value.Types.Scalar { Value = double.Parse(part.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        var config = new QuotaConfig { Role = role };
        Fill(config.Guarantees, guarantees);
        Fill(config.Limits, limits);
        return config;
    }

    [Fact]
    public async Task UpdateQuota_ThenGetQuota_RoundTrips_AndEmptyConfigRemovesIt()
    {
        await using var master = await TestMaster.StartAsync();
        var client = new Operator.OperatorClient(master.Channel);

        await client.UpdateQuotaAsync(new UpdateQuotaRequest { QuotaConfigs = { Config("eng", "cpus:1;mem:128", "cpus:4;mem:1024"), Config("ops", string.Empty, "cpus:2") } });
        var configs = (await client.GetQuotaAsync(new GetQuotaRequest())).Configs;

        Assert.Equal(["eng", "ops"], configs.Select(c => c.Role));
        Assert.Equal(1, configs[0].Guarantees["cpus"].Value);
        Assert.Equal(1024, configs[0].Limits["mem"].Value);
        Assert.Empty(configs[1].Guarantees);
        Assert.Equal(2, configs[1].Limits["cpus"].Value);

        await client.UpdateQuotaAsync(new UpdateQuotaRequest { QuotaConfigs = { Config("ops", string.Empty, string.Empty) } });
        Assert.Equal(["eng"], (await client.GetQuotaAsync(new GetQuotaRequest())).Configs.Select(c => c.Role));
    }

    [Theory]
    [InlineData("eng", "cpus:4", "cpus:2", StatusCode.InvalidArgument, "above the limit")]
    [InlineData("eng", "cpus:-1", "", StatusCode.InvalidArgument, "quota_configs[0].guarantees[cpus]")]
    [InlineData("eng/", "", "cpus:1", StatusCode.InvalidArgument, "must not start or end with '/'")]
    [InlineData("*", "", "cpus:1", StatusCode.InvalidArgument, "default role")]
    public async Task UpdateQuota_Invalid_IsRefusedWithTheReason(string role, string guarantees, string limits, StatusCode status, string message)
    {
        await using var master = await TestMaster.StartAsync();
        var client = new Operator.OperatorClient(master.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.UpdateQuotaAsync(new UpdateQuotaRequest { QuotaConfigs = { Config(role, guarantees, limits) } }));

        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await client.GetQuotaAsync(new GetQuotaRequest())).Configs);
    }

    [Fact]
    public async Task UpdateQuota_SubroleLimitAboveParents_IsRefused()
    {
        await using var master = await TestMaster.StartAsync();
        var client = new Operator.OperatorClient(master.Channel);
        await client.UpdateQuotaAsync(new UpdateQuotaRequest { QuotaConfigs = { Config("eng", string.Empty, "cpus:2") } });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.UpdateQuotaAsync(new UpdateQuotaRequest { QuotaConfigs = { Config("eng/web", string.Empty, "cpus:3") } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("exceeds the limit of its parent 'eng'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateQuota_LimitBelowWhatTheRoleHolds_NeedsForce()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(new AttachRequest { AgentInfo = MasterProtocolTests.AgentInfo("cpus:4;mem:1024") }, cancellationToken: cts.Token);
        Assert.True(await attach.ResponseStream.MoveNext(cts.Token));
        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        var info = new FrameworkInfo { Name = "eng", User = "root", FailoverTimeout = 60, Roles = { "eng" } };
        info.Capabilities.Add(FrameworkInfo.Types.Capability.MultiRole);
        using var call = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = info }, cancellationToken: cts.Token);
        await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Offers, cts.Token);
        var client = new Operator.OperatorClient(master.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.UpdateQuotaAsync(new UpdateQuotaRequest { QuotaConfigs = { Config("eng", string.Empty, "cpus:1") } }, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("use force", error.Status.Detail, StringComparison.Ordinal);

        await client.UpdateQuotaAsync(new UpdateQuotaRequest { Force = true, QuotaConfigs = { Config("eng", string.Empty, "cpus:1") } }, cancellationToken: cts.Token);
        Assert.Equal(1, (await client.GetQuotaAsync(new GetQuotaRequest(), cancellationToken: cts.Token)).Configs.Single().Limits["cpus"].Value);
    }

    [Fact]
    public async Task UpdateWeights_ThenGetWeights_RoundTrips()
    {
        await using var master = await TestMaster.StartAsync();
        var client = new Operator.OperatorClient(master.Channel);

        await client.UpdateWeightsAsync(new UpdateWeightsRequest { WeightInfos = { new WeightInfo { Role = "eng", Weight = 2.5 }, new WeightInfo { Role = "ops", Weight = 1 } } });

        var weights = (await client.GetWeightsAsync(new GetWeightsRequest())).WeightInfos;
        Assert.Equal("eng", Assert.Single(weights).Role);
        Assert.Equal(2.5, weights[0].Weight);
    }

    [Theory]
    [InlineData("eng", 0, "must be a positive number")]
    [InlineData("eng", -1, "must be a positive number")]
    [InlineData("a//b", 1, "must not contain '//'")]
    public async Task UpdateWeights_Invalid_IsRefused(string role, double weight, string message)
    {
        await using var master = await TestMaster.StartAsync();
        var client = new Operator.OperatorClient(master.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.UpdateWeightsAsync(new UpdateWeightsRequest { WeightInfos = { new WeightInfo { Role = role, Weight = weight } } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }
}
