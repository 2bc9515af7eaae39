using System.Text.Json.Nodes;
using Mesos.Core.Agents;
using Mesos.Core.Ids;
using Mesos.Tests.Api.Http;

namespace Mesos.Tests.Integration;

/// <summary>
/// --agent_reregister_timeout: a newly elected master (here the same master restarted on its log) waits that long
/// for the agents it knows of, then marks those that did not come back unreachable: TASK_UNREACHABLE for
/// partition-aware frameworks, TASK_LOST for the others, as Mesos. The agent's ping timeout (75 s) is far longer
/// than the test, so only the re-registration deadline can explain what happens.
/// </summary>
public sealed class AgentReregisterTimeoutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AnAgentThatDoesNotReregisterWithTheNewMaster_IsUnreachable_AndItsTasksUnreachableOrLost()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        var workDir = TempDirectory.Create("reregister-master");
        var agentWorkDir = TempDirectory.Create("reregister-agent");
        static Mesos.Master.Configuration.MasterOptions Short(Mesos.Master.Configuration.MasterOptions o, int port) =>
            o with { Port = port, AgentReregisterTimeout = TimeSpan.FromSeconds(2) };

        var master = await TestMaster.StartAsync(workDir, o => Short(o, 0));
        var port = master.Port;
        string agentId;
        (string Id, string Task) aware;
        (string Id, string Task) legacy;
        try
        {
            // A real agent process, so that SIGKILL leaves its tasks running under their supervisors.
            await using var agent = AgentProcess.Start(port, agentWorkDir);
            agentId = (await agent.WaitForLineAsync(AgentProcess.RegisteredLine(), ct)).Groups[2].Value;
            aware = await LaunchSleeperAsync(port, "aware", partitionAware: true, ct);
            legacy = await LaunchSleeperAsync(port, "legacy", partitionAware: false, ct);
            await agent.SignalAndWaitAsync(9);
        }
        finally
        {
            await master.DisposeAsync();
        }

        // The master comes back (a new election on the same log); the agent does not.
        await using var next = await TestMaster.StartAsync(workDir, o => Short(o, port));
        Assert.Equal(AgentStatus.Disconnected, next.Server.State.Current.State.Agents[new AgentId(agentId)].Status);
        using var awareClient = await ResubscribeAsync(port, "aware", aware.Id, partitionAware: true, ct);
        using var legacyClient = await ResubscribeAsync(port, "legacy", legacy.Id, partitionAware: false, ct);

        var unreachable = await StatusOnceReconciledAsync(awareClient, aware.Task, agentId, "TASK_UNREACHABLE", ct);
        Assert.Contains("did not re-register within 2s after master failover", (string?)unreachable["message"], StringComparison.Ordinal);
        Assert.Equal("SOURCE_MASTER", (string?)unreachable["source"]);
        await StatusOnceReconciledAsync(legacyClient, legacy.Task, agentId, "TASK_LOST", ct);
        Assert.Equal(AgentStatus.Unreachable, next.Server.State.Current.State.Agents[new AgentId(agentId)].Status);

        // Back at last, the agent re-registers; its partition-aware task carries on, as Mesos' MarkSlaveReachable.
        await using (var back = AgentProcess.Start(port, agentWorkDir))
        {
            Assert.Equal(agentId, (await back.WaitForLineAsync(AgentProcess.RegisteredLine(), ct)).Groups[2].Value);
            await StatusOnceReconciledAsync(awareClient, aware.Task, agentId, "TASK_RUNNING", ct);
            Assert.Equal(202, (await awareClient.Client.CallAsync("TEARDOWN", null, ct)).Status);
            Assert.Equal(202, (await legacyClient.Client.CallAsync("TEARDOWN", null, ct)).Status);
        }
    }

    private static JsonObject FrameworkInfo(string name, bool partitionAware, string? id = null)
    {
        var info = new JsonObject { ["user"] = Environment.UserName, ["name"] = name, ["failover_timeout"] = 3600, ["checkpoint"] = true };
        if (partitionAware)
        {
            info["capabilities"] = new JsonArray(new JsonObject { ["type"] = "PARTITION_AWARE" });
        }

        if (id is not null)
        {
            info["id"] = new JsonObject { ["value"] = id };
        }

        return info;
    }

    /// <summary>Subscribes, launches "sleep 30" on the first offer, waits for TASK_RUNNING; the framework stays registered (failover_timeout 1 h) after the client goes.</summary>
    private static async Task<(string Id, string Task)> LaunchSleeperAsync(int port, string name, bool partitionAware, CancellationToken ct)
    {
        using var client = new SchedulerHttpClient(port);
        await client.SubscribeAsync(FrameworkInfo(name, partitionAware), ct);
        var offer = (await client.NextAsync(e => (string?)e["type"] == "OFFERS", ct))["offers"]!["offers"]![0]!.AsObject();
        var task = name + "-sleeper";
        var accept = new JsonObject
        {
            ["offer_ids"] = new JsonArray(offer["id"]!.DeepClone()),
            ["operations"] = new JsonArray(new JsonObject
            {
                ["type"] = "LAUNCH",
                ["launch"] = new JsonObject
                {
                    ["task_infos"] = new JsonArray(new JsonObject
                    {
                        ["name"] = task,
                        ["task_id"] = new JsonObject { ["value"] = task },
                        ["agent_id"] = offer["agent_id"]!.DeepClone(),
                        ["resources"] = new JsonArray(new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 0.1 } }),
                        ["command"] = new JsonObject { ["value"] = "sleep 30" },
                    }),
                },
            }),
        };
        Assert.Equal(202, (await client.CallAsync("ACCEPT", accept, ct)).Status);
        while (true)
        {
            var status = (await client.NextAsync(e => (string?)e["type"] == "UPDATE", ct))["update"]!["status"]!.AsObject();
            if (status["uuid"] is { } uuid)
            {
                await client.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = status["agent_id"]!.DeepClone(), ["task_id"] = status["task_id"]!.DeepClone(), ["uuid"] = uuid.DeepClone() }, ct);
            }

            if ((string?)status["state"] == "TASK_RUNNING")
            {
                return (client.FrameworkId, task);
            }
        }
    }

    private static async Task<Resubscribed> ResubscribeAsync(int port, string name, string frameworkId, bool partitionAware, CancellationToken ct)
    {
        var client = new SchedulerHttpClient(port);
        await client.SubscribeAsync(FrameworkInfo(name, partitionAware, frameworkId), ct);
        return new Resubscribed(client, ct);
    }

    /// <summary>Reconciles the task every half second until the master reports <paramref name="state"/> (pushed or in answer); returns that status.</summary>
    private static async Task<JsonObject> StatusOnceReconciledAsync(Resubscribed framework, string task, string agentId, string state, CancellationToken ct)
    {
        while (true)
        {
            var reconcile = new JsonObject
            {
                ["tasks"] = new JsonArray(new JsonObject { ["task_id"] = new JsonObject { ["value"] = task }, ["agent_id"] = new JsonObject { ["value"] = agentId } }),
            };
            Assert.Equal(202, (await framework.Client.CallAsync("RECONCILE", reconcile, ct)).Status);
            await Task.Delay(500, ct);
            while (framework.Updates.TryDequeue(out var status))
            {
                if (status["uuid"] is { } uuid)
                {
                    await framework.Client.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = status["agent_id"]!.DeepClone(), ["task_id"] = status["task_id"]!.DeepClone(), ["uuid"] = uuid.DeepClone() }, ct);
                }

                if ((string?)status["task_id"]!["value"] == task && (string?)status["state"] == state)
                {
                    return status;
                }
            }
        }
    }

    /// <summary>A re-subscribed framework whose stream is read in the background, so waiting never cuts a record in half.</summary>
    private sealed class Resubscribed : IDisposable
    {
        private readonly Task pump;

        public Resubscribed(SchedulerHttpClient client, CancellationToken ct)
        {
            Client = client;
            pump = Task.Run(async () =>
            {
                while (await client.Events!.NextAsync(ct) is { } @event)
                {
                    if ((string?)@event["type"] == "UPDATE")
                    {
                        Updates.Enqueue(@event["update"]!["status"]!.AsObject());
                    }
                }
            }, ct);
        }

        public SchedulerHttpClient Client { get; }

        public System.Collections.Concurrent.ConcurrentQueue<JsonObject> Updates { get; } = new();

        public void Dispose()
        {
            Client.Dispose();
            _ = pump.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }
    }
}
