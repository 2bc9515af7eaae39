using System.Text.Json.Nodes;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>DEACTIVATE_AGENT and REACTIVATE_AGENT over Mesos' operator API, against a real master, agent and framework.</summary>
public sealed class AgentLifecycleHttpTests
{
    [Fact]
    public async Task DeactivateAgent_StopsItsOffers_KeepsItsTasks_AndReactivateOffersItAgain_BadIdsGet400()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);
        await using var agent = await AgentRuntime.StartAsync(new AgentOptions
        {
            Masters = [$"127.0.0.1:{master.Port}"],
            WorkDir = TempDirectory.Create("lifecycle-agent"),
            Resources = ResourceSet.Parse("cpus:4;mem:2048;disk:1000;ports:[31000-32000]"),
            Port = 0,
            Ip = "127.0.0.1",
            Hostname = "127.0.0.1",
        });
        var agentId = await agent.WaitForRegistrationAsync(ct);
        await using var framework = await TestFramework.SubscribeAsync(master, "lifecycle", ct);
        await framework.LaunchAsync("keeps-running", "sleep 60", ct);
        while ((await framework.NextUpdateAsync("keeps-running", ct)).State != Protocol.V1.TaskState.TaskRunning)
        {
        }

        async Task<(int Status, string Body)> Call(string type, string id) =>
            await op.CallAsync(new JsonObject { ["type"] = type, [type.ToLowerInvariant()] = new JsonObject { ["agent_id"] = new JsonObject { ["value"] = id } } }, ct);

        // Bad input first: an agent the master never admitted, and a call without its agent id.
        var unknown = await Call("DEACTIVATE_AGENT", "no-such-agent");
        Assert.Equal(400, unknown.Status);
        Assert.Contains("Agent 'no-such-agent' is not known to the master", unknown.Body, StringComparison.Ordinal);
        Assert.Equal(400, (await Call("REACTIVATE_AGENT", "no-such-agent")).Status);
        var missing = await op.CallAsync(new JsonObject { ["type"] = "DEACTIVATE_AGENT", ["deactivate_agent"] = new JsonObject() }, ct);
        Assert.Equal(400, missing.Status);
        Assert.Contains("Missing required fields: deactivate_agent.agent_id", missing.Body, StringComparison.Ordinal);

        Assert.Equal(200, (await Call("DEACTIVATE_AGENT", agentId)).Status);
        Assert.Equal(200, (await Call("DEACTIVATE_AGENT", agentId)).Status);

        var listed = Assert.Single((await op.GetAsync("GET_AGENTS", ct))["agents"]!.AsArray())!.AsObject();
        Assert.True((bool)listed["deactivated"]!);
        Assert.False((bool)listed["active"]!);
        // Its offers were rescinded (the allocator's skipping it is AgentActivationTests'), and the task still runs.
        var state = master.Server.State.Current.State;
        Assert.DoesNotContain(state.Offers.Values, o => o.AgentId == new AgentId(agentId));
        Assert.Contains(state.Tasks.Values, t => t.Key.TaskId.Value == "keeps-running" && t.State == global::Mesos.Core.Tasks.TaskState.Running);
        while (framework.TryReadUpdate("keeps-running", out var late))
        {
            Assert.NotEqual(Protocol.V1.TaskState.TaskKilled, late.State);
        }

        Assert.Equal(200, (await Call("REACTIVATE_AGENT", agentId)).Status);
        while (!master.Server.State.Current.State.Offers.Values.Any(o => o.AgentId == new AgentId(agentId)))
        {
            await Task.Delay(50, ct);
        }

        Assert.False((bool)Assert.Single((await op.GetAsync("GET_AGENTS", ct))["agents"]!.AsArray())!["deactivated"]!);
    }

    [Fact]
    public async Task MarkAgentGone_EndsItsTasksGoneByOperator_ShutsTheAgentDown_AndRefusesItWhenItComesBack()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var op = new OperatorHttpClient(master.Port);
        var workDir = TempDirectory.Create("gone-agent");
        await using var agent = await TestAgent.StartAsync(master.Port, workDir);
        var agentId = await agent.WaitForRegistrationAsync(ct);
        await using var framework = await TestFramework.SubscribeAsync(master, "gone", ct, Protocol.V1.FrameworkInfo.Types.Capability.PartitionAware);
        await framework.LaunchAsync("doomed", "sleep 60", ct);
        while ((await framework.NextUpdateAsync("doomed", ct)).State != Protocol.V1.TaskState.TaskRunning)
        {
        }

        async Task<(int Status, string Body)> Gone(string id) =>
            await op.CallAsync(new JsonObject { ["type"] = "MARK_AGENT_GONE", ["mark_agent_gone"] = new JsonObject { ["agent_id"] = new JsonObject { ["value"] = id } } }, ct);

        var unknown = await Gone("no-such-agent");
        Assert.Equal(404, unknown.Status);
        Assert.Contains("Agent 'no-such-agent' not found", unknown.Body, StringComparison.Ordinal);

        Assert.Equal(200, (await Gone(agentId)).Status);
        Assert.Equal(200, (await Gone(agentId)).Status);

        var gone = await framework.NextUpdateAsync("doomed", ct);
        Assert.Equal(Protocol.V1.TaskState.TaskGoneByOperator, gone.State);
        Assert.Null((await op.GetAsync("GET_AGENTS", ct))["agents"]);
        Assert.Contains("GONE_BY_OPERATOR", (await op.GetAsync("GET_TASKS", ct)).ToJsonString(), StringComparison.Ordinal);

        // The agent was told to shut down and stops attaching; started again from its work dir, it is told again.
        await agent.Detached.WaitAsync(ct);
        Assert.Contains("marked gone", agent.ShutdownReason, StringComparison.Ordinal);
        await agent.StopAsync(ct);
        await using var back = await TestAgent.StartAsync(master.Port, workDir);
        Assert.Equal(agentId, back.AgentId);
        await back.Detached.WaitAsync(ct);
        Assert.Contains("marked gone", back.ShutdownReason, StringComparison.Ordinal);
        var state = master.Server.State.Current.State;
        Assert.Equal(global::Mesos.Core.Agents.AgentStatus.Removed, Assert.Single(state.Agents.Values).Status);
        Assert.Null((await op.GetAsync("GET_AGENTS", ct))["agents"]);
    }
}
