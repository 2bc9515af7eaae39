using Mesos.Core.Commands;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Cli;

/// <summary><c>mesos explain</c> against a real master: a starving framework's operator is told why, in words.</summary>
public sealed class ExplainCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Explain_FrameworkStarvedByQuotaLimit_AndAnotherFilteredByADecline_SaysWhyInWords()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var quota = await master.Server.Loop.SubmitAsync(new UpdateQuota(
            [new RoleQuota("eng", ResourceSet.Empty, ResourceSet.Parse("cpus:1;mem:256"))], Force: false) { Principal = "operator" });
        Assert.Null(quota.Error);

        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(new AttachRequest { AgentInfo = MasterProtocolTests.AgentInfo("cpus:4;mem:2048") }, cancellationToken: cts.Token);
        Assert.True(await attach.ResponseStream.MoveNext(cts.Token));
        var agentId = attach.ResponseStream.Current.Registered.AgentId;

        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        var (limited, limitedStream) = await SubscribeAsync(scheduler, "limited", "eng", cts.Token);
        using var limitedCall = limitedStream;
        var offer = (await MasterProtocolTests.NextAsync(limitedCall.ResponseStream, SchedulerEvent.EventOneofCase.Offers, cts.Token)).Offers.Offers_.Single();
        var task = new TaskInfo { TaskId = "t1", Name = "t1", Command = new CommandInfo { Value = "sleep 1000" } };
        task.Resources.AddRange(MasterProtocolTests.Resources("cpus", 1).Concat(MasterProtocolTests.Resources("mem", 256)));
        await scheduler.AcceptAsync(new AcceptRequest { Context = limited, OfferIds = { offer.Id }, Launch = { task }, Filters = new Filters { RefuseSeconds = 0 } }, cancellationToken: cts.Token);

        var (declining, decliningStream) = await SubscribeAsync(scheduler, "declining", "web", cts.Token);
        using var decliningCall = decliningStream;
        var other = (await MasterProtocolTests.NextAsync(decliningCall.ResponseStream, SchedulerEvent.EventOneofCase.Offers, cts.Token)).Offers.Offers_.Single();
        await scheduler.DeclineAsync(new DeclineRequest { Context = declining, OfferIds = { other.Id }, Filters = new Filters { RefuseSeconds = 3600 } }, cancellationToken: cts.Token);

        var address = $"127.0.0.1:{master.Port}";
        var quotaLine = $"role eng on agent {agentId}: quota limit cpus:1;mem:256 reached (allocated cpus:1;mem:256)";
        var starved = await ExplainUntilAsync(["explain", "--master", address, "--framework", limited.FrameworkId], quotaLine, cts.Token);
        Assert.StartsWith("Latest allocation cycle: ", starved, StringComparison.Ordinal);

        var filtered = await ExplainUntilAsync(["explain", "--master", address, "--framework", declining.FrameworkId], "filtered until", cts.Token);
        Assert.Contains($"role web on agent {agentId}: filtered until ", filtered, StringComparison.Ordinal);
        Assert.Contains("the framework declined cpus:3;mem:1792 here (refuse_seconds)", filtered, StringComparison.Ordinal);

        var byAgent = await ExplainUntilAsync(["explain", "--master", address, "--agent", agentId], "filtered", cts.Token);
        Assert.Contains($"framework {limited.FrameworkId} role eng: quota limit", byAgent, StringComparison.Ordinal);
        Assert.Contains($"framework {declining.FrameworkId} role web: filtered until", byAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WithoutFrameworkOrAgent_IsAnErrorNamingTheFlags()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["explain", "--master", "127.0.0.1:1"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--framework ID, or --agent ID", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_UnknownFramework_IsNotFound()
    {
        await using var master = await TestMaster.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(new AttachRequest { AgentInfo = MasterProtocolTests.AgentInfo("cpus:1;mem:128") }, cancellationToken: cts.Token);
        Assert.True(await attach.ResponseStream.MoveNext(cts.Token));
        var scheduler = new Scheduler.SchedulerClient(master.Channel);
        var (_, stream) = await SubscribeAsync(scheduler, "f", "eng", cts.Token);
        using var call = stream;
        await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Offers, cts.Token);

        var (exitCode, _, error) = await CliRunner.RunAsync(["explain", "--master", $"127.0.0.1:{master.Port}", "--framework", "nope"], cancellationToken: cts.Token);

        Assert.Equal(1, exitCode);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);
        Assert.Contains("Framework 'nope'", error, StringComparison.Ordinal);
    }

    private static async Task<(CallContext Context, Grpc.Core.AsyncServerStreamingCall<SchedulerEvent> Call)> SubscribeAsync(
        Scheduler.SchedulerClient scheduler, string name, string role, CancellationToken ct)
    {
        var info = new FrameworkInfo { Name = name, User = "root", FailoverTimeout = 60, Roles = { role } };
        info.Capabilities.Add(FrameworkInfo.Types.Capability.MultiRole);
        var call = scheduler.Subscribe(new SubscribeRequest { FrameworkInfo = info }, cancellationToken: ct);
        var subscribed = (await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, ct)).Subscribed;
        return (new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId }, call);
    }

    /// <summary>Runs the command until its output holds <paramref name="expected"/>: explanations are of the latest cycle, which runs every 100 ms.</summary>
    private static async Task<string> ExplainUntilAsync(string[] args, string expected, CancellationToken ct)
    {
        while (true)
        {
            var (exitCode, output, error) = await CliRunner.RunAsync(args, cancellationToken: ct);
            Assert.True(exitCode == 0, error);
            if (output.Contains(expected, StringComparison.Ordinal))
            {
                return output;
            }

            if (ct.IsCancellationRequested)
            {
                Assert.Fail($"never said '{expected}'; last said:\n{output}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}
