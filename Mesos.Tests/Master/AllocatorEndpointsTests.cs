using System.Net;
using System.Text.Json;
using Mesos.Core.Commands;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Master.Metrics;
using Mesos.Protocol.V1;
using Mesos.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesos.Tests.Master;

/// <summary>The allocator's HTTP JSON explanations and its <c>allocator/mesos/*</c> metrics, on a real master.</summary>
public sealed class AllocatorEndpointsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed record Cluster(TestMaster Master, string AgentId, CallContext Framework, IDisposable Streams);

    /// <summary>One agent cpus:4;mem:2048, role eng with a quota, one framework in role web that declined it for an hour.</summary>
    private static async Task<Cluster> StartAsync(CancellationToken ct)
    {
        var master = await TestMaster.StartAsync();
        var quota = await master.Server.Loop.SubmitAsync(new UpdateQuota(
            [new RoleQuota("eng", ResourceSet.Parse("cpus:1"), ResourceSet.Parse("cpus:2;mem:512"))], Force: false) { Principal = "operator" });
        Assert.Null(quota.Error);
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        var attach = agents.Attach(new AttachRequest { AgentInfo = MasterProtocolTests.AgentInfo("cpus:4;mem:2048") }, cancellationToken: ct);
        Assert.True(await attach.ResponseStream.MoveNext(ct));
        var agentId = attach.ResponseStream.Current.Registered.AgentId;

        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        var info = new FrameworkInfo { Name = "web", User = "root", FailoverTimeout = 60, Roles = { "web" } };
        info.Capabilities.Add(FrameworkInfo.Types.Capability.MultiRole);
        var call = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = info }, cancellationToken: ct);
        var subscribed = (await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, ct)).Subscribed;
        var context = new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId };
        var offer = (await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Offers, ct)).Offers.Offers_.Single();
        await scheduler.DeclineAsync(new DeclineRequest { Context = context, OfferIds = { offer.Id }, Filters = new Filters { RefuseSeconds = 3600 } }, cancellationToken: ct);
        return new Cluster(master, agentId, context, new Streams(attach, call));
    }

    private sealed class Streams(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }

    [Fact]
    public async Task ExplainEndpoint_ByFramework_GivesTheReasonsAsJson()
    {
        using var cts = new CancellationTokenSource(Patience);
        var cluster = await StartAsync(cts.Token);
        await using var master = cluster.Master;
        using var streams = cluster.Streams;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        JsonElement reason;
        while (true)
        {
            using var reply = await http.GetAsync($"/master/allocator/explain?framework_id={cluster.Framework.FrameworkId}", cts.Token);
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            using var json = JsonDocument.Parse(await reply.Content.ReadAsStringAsync(cts.Token));
            var reasons = json.RootElement.GetProperty("reasons");
            if (reasons.GetArrayLength() == 1 && reasons[0].GetProperty("kind").GetString() == "FILTERED")
            {
                Assert.True(json.RootElement.GetProperty("cycle").GetProperty("log_position").GetInt64() > 0);
                reason = reasons[0].Clone();
                break;
            }

            await Task.Delay(100, cts.Token);
        }

        Assert.Equal(cluster.AgentId, reason.GetProperty("agent_id").GetString());
        Assert.Equal("web", reason.GetProperty("role").GetString());
        // eng's guarantee of cpus:1 is held back from other roles, so web was offered (and declined) the rest.
        Assert.Equal("cpus:3;mem:2048", reason.GetProperty("resources").GetString());
        Assert.True(reason.GetProperty("until").GetDouble() > DateTimeOffset.UtcNow.AddMinutes(50).ToUnixTimeSeconds());
        Assert.StartsWith("filtered until ", reason.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest, "Name a framework")]
    [InlineData("?framework_id=nope", HttpStatusCode.NotFound, "Framework 'nope'")]
    [InlineData("?agent_id=nope", HttpStatusCode.NotFound, "Agent 'nope'")]
    public async Task ExplainEndpoint_BadQuestion_IsAnErrorStatusWithAMessage(string query, HttpStatusCode status, string message)
    {
        using var cts = new CancellationTokenSource(Patience);
        var cluster = await StartAsync(cts.Token);
        await using var master = cluster.Master;
        using var streams = cluster.Streams;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };

        using var reply = await http.GetAsync("/master/allocator/explain" + query, cts.Token);

        Assert.Equal(status, reply.StatusCode);
        Assert.Contains(message, await reply.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_HaveTheAllocatorKeys_AsMesosNamesThem()
    {
        using var cts = new CancellationTokenSource(Patience);
        var cluster = await StartAsync(cts.Token);
        await using var master = cluster.Master;
        using var streams = cluster.Streams;
        var collector = master.Server.Services.GetRequiredService<MetricsCollector>();

        var metrics = collector.Snapshot();
        while (metrics.GetValueOrDefault("allocator/mesos/offer_filters/roles/web/active") != 1)
        {
            await Task.Delay(50, cts.Token);
            metrics = collector.Snapshot();
        }

        Assert.True(metrics["allocator/mesos/allocation_runs"] >= 1);
        Assert.Equal(metrics["allocator/mesos/allocation_run_ms/count"], Math.Min(metrics["allocator/mesos/allocation_runs"], 1000), 0);
        Assert.True(metrics["allocator/mesos/allocation_run_ms/p50"] <= metrics["allocator/mesos/allocation_run_ms/max"]);
        Assert.True(metrics.ContainsKey("allocator/mesos/allocation_run_latency_ms/p99"));
        Assert.True(metrics.ContainsKey("allocator/mesos/event_queue_dispatches"));
        Assert.Equal(4, metrics["allocator/mesos/resources/cpus/total"]);
        Assert.Equal(2048, metrics["allocator/mesos/resources/mem/total"]);
        Assert.Equal(0, metrics["allocator/mesos/resources/cpus/offered_or_allocated"]);
        Assert.Equal(0, metrics["allocator/mesos/roles/web/shares/dominant"]);
        Assert.Equal(1, metrics["allocator/mesos/quota/roles/eng/resources/cpus/guarantee"]);
        Assert.Equal(2, metrics["allocator/mesos/quota/roles/eng/resources/cpus/limit"]);
        Assert.Equal(512, metrics["allocator/mesos/quota/roles/eng/resources/mem/limit"]);
        Assert.Equal(0, metrics["allocator/mesos/quota/roles/eng/resources/cpus/offered_or_allocated"]);
    }
}
