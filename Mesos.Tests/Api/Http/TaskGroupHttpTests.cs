using System.Text.Json.Nodes;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// LAUNCH_GROUP over Mesos' v1 scheduler HTTP API (JSON) against a real master and agent: task groups on the agent's
/// built-in default executor, with Mesos' default-executor semantics, and invalid groups refused whole.
/// </summary>
public sealed class TaskGroupHttpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static string? Type(JsonObject e) => (string?)e["type"];

    private static JsonObject Scalar(string name, double value) =>
        new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    internal static JsonObject Task(string taskId, string agentId, string command, double cpus = 0.1) => new()
    {
        ["name"] = taskId,
        ["task_id"] = Id(taskId),
        ["agent_id"] = Id(agentId),
        ["resources"] = new JsonArray(Scalar("cpus", cpus), Scalar("mem", 32)),
        ["command"] = new JsonObject { ["value"] = command },
        ["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = 500_000_000 } },
    };

    internal static JsonObject DefaultExecutor(string executorId) => new()
    {
        ["type"] = "DEFAULT",
        ["executor_id"] = Id(executorId),
        ["name"] = "pod " + executorId,
        ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32), Scalar("disk", 10)),
    };

    internal static JsonObject LaunchGroup(string offerId, JsonObject executor, params JsonObject[] tasks) => new()
    {
        ["offer_ids"] = new JsonArray(Id(offerId)),
        ["operations"] = new JsonArray(new JsonObject
        {
            ["type"] = "LAUNCH_GROUP",
            ["launch_group"] = new JsonObject
            {
                ["executor"] = executor,
                ["task_group"] = new JsonObject { ["tasks"] = new JsonArray(tasks.Select(t => (JsonNode?)t).ToArray()) },
            },
        }),
        ["filters"] = new JsonObject { ["refuse_seconds"] = 0.1 },
    };

    private static async Task<(SchedulerHttpClient Scheduler, string AgentId, string OfferId)> SubscribeAsync(int masterPort, string name, CancellationToken ct)
    {
        var scheduler = new SchedulerHttpClient(masterPort);
        var info = new JsonObject { ["user"] = Environment.UserName, ["name"] = name };
        await scheduler.SubscribeAsync(info, ct);
        var offer = (await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]![0]!.AsObject();
        return (scheduler, (string)offer["agent_id"]!["value"]!, (string)offer["id"]!["value"]!);
    }

    /// <summary>Updates until every named task is terminal, each acknowledged when it carries a uuid; the states by task.</summary>
    internal static async Task<Dictionary<string, List<JsonObject>>> UntilTerminalAsync(SchedulerHttpClient scheduler, string agentId, string[] taskIds, CancellationToken ct)
    {
        var terminal = new HashSet<string> { "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE" };
        var updates = taskIds.ToDictionary(t => t, _ => new List<JsonObject>());
        while (updates.Values.Any(u => u.Count == 0 || !terminal.Contains((string)u[^1]["state"]!)))
        {
            var status = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
            var taskId = (string)status["task_id"]!["value"]!;
            updates[taskId].Add(status);
            if (status["uuid"] is { } uuid)
            {
                var ack = new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id(taskId), ["uuid"] = (string)uuid! };
                Assert.Equal(202, (await scheduler.CallAsync("ACKNOWLEDGE", ack, ct)).Status);
            }
        }

        return updates;
    }

    private static IEnumerable<string> States(List<JsonObject> updates) => updates.Select(u => (string)u["state"]!);

    [Fact]
    public async Task AGroupOfTwoCommandTasks_RunsEachInItsOwnSandbox_ToFinished_AndTheExecutorEnds()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        var workDir = TempDirectory.Create("group-agent");
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port, workDir);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, agentId, offerId) = await SubscribeAsync(master.Port, "group", ct);
        using var _ = scheduler;

        var accept = LaunchGroup(offerId, DefaultExecutor("pod"),
            Task("first", agentId, "echo \"$MESOS_SANDBOX\"; sleep 1"),
            Task("second", agentId, "echo \"$MESOS_SANDBOX\"; sleep 1"));
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);
        var updates = await UntilTerminalAsync(scheduler, agentId, ["first", "second"], ct);

        foreach (var (taskId, statuses) in updates)
        {
            Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"], States(statuses));
            Assert.All(statuses, s => Assert.Equal("pod", (string?)s["executor_id"]!["value"]));
            var runs = Path.Combine(workDir, "slaves", agentId, "frameworks", scheduler.FrameworkId, "executors", "pod", "runs");
            var printed = (await File.ReadAllTextAsync(Path.Combine(runs, "latest", "tasks", taskId, "stdout"), ct)).Trim();

            // MESOS_SANDBOX is the task's own sandbox, inside the executor's run: runs/<container>/tasks/<task id>.
            Assert.Equal(taskId, Path.GetFileName(printed));
            Assert.Equal("tasks", Path.GetFileName(Path.GetDirectoryName(printed)));
            Assert.Equal(runs, Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(printed))));
        }

        // With no live task left, the default executor ends; the master tells the framework (FAILURE) and frees it.
        var failure = await scheduler.NextAsync(e => Type(e) == "FAILURE", ct);
        Assert.Equal("pod", (string?)failure["failure"]!["executor_id"]!["value"]);
    }

    [Fact]
    public async Task WhileTheGroupRuns_TheAgentStateAndTheMasterShowOneDefaultExecutorWithBothTasks()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, agentId, offerId) = await SubscribeAsync(master.Port, "group-state", ct);
        using var _ = scheduler;

        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", LaunchGroup(offerId, DefaultExecutor("pod"), Task("a", agentId, "sleep 30"), Task("b", agentId, "sleep 30")), ct)).Status);
        var running = new HashSet<string>();
        while (running.Count < 2)
        {
            var status = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
            var taskId = (string)status["task_id"]!["value"]!;
            await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id(taskId), ["uuid"] = (string)status["uuid"]! }, ct);
            if ((string?)status["state"] == "TASK_RUNNING")
            {
                running.Add(taskId);
            }
        }

        using var http = new HttpClient();
        var state = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{agent.HttpPort}/state", ct))!;
        var executor = Assert.Single(state["frameworks"]![0]!["executors"]!.AsArray())!;
        Assert.Equal("pod", (string?)executor["id"]);
        Assert.Equal("DEFAULT", (string?)executor["type"]);
        Assert.Equal(["a", "b"], executor["tasks"]!.AsArray().Select(t => (string)t!["id"]!).Order());
        Assert.EndsWith(Path.Combine("executors", "pod", "runs", (string)executor["container"]!), (string)executor["directory"]!, StringComparison.Ordinal);

        var tasks = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{master.Port}/master/tasks", ct))!["tasks"]!.AsArray();
        Assert.Equal(["a", "b"], tasks.Select(t => (string)t!["id"]!).Order());

        using var getExecutors = await http.PostAsync(
            $"http://127.0.0.1:{master.Port}/api/v1",
            new StringContent("""{"type":"GET_EXECUTORS"}""", System.Text.Encoding.UTF8, "application/json"),
            ct);
        var executors = JsonNode.Parse(await getExecutors.Content.ReadAsStringAsync(ct))!["get_executors"]!["executors"]!.AsArray();
        var info = Assert.Single(executors)!["executor_info"]!;
        Assert.Equal("DEFAULT", (string?)info["type"]);
        Assert.Equal("pod", (string?)info["executor_id"]!["value"]);
        Assert.Null(info["command"]);
        Assert.Equal(agentId, (string?)executors[0]!["agent_id"]!["value"]);

        Assert.Equal(202, (await scheduler.CallAsync("TEARDOWN", null, ct)).Status);
    }

    [Fact]
    public async Task ATaskOfTheGroupExitingNonZero_FailsIt_AndTheOtherIsKilled()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, agentId, offerId) = await SubscribeAsync(master.Port, "group-fail", ct);
        using var _ = scheduler;

        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", LaunchGroup(offerId, DefaultExecutor("pod"), Task("bad", agentId, "sleep 1; exit 3"), Task("good", agentId, "sleep 60")), ct)).Status);
        var updates = await UntilTerminalAsync(scheduler, agentId, ["bad", "good"], ct);

        Assert.Equal("TASK_FAILED", States(updates["bad"]).Last());
        Assert.Equal("TASK_KILLED", States(updates["good"]).Last());
        Assert.Contains("TASK_RUNNING", States(updates["good"]));
    }

    [Fact]
    public async Task KillingOneTaskOfTheGroup_KillsTheWholeGroup()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, agentId, offerId) = await SubscribeAsync(master.Port, "group-kill", ct);
        using var _ = scheduler;

        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", LaunchGroup(offerId, DefaultExecutor("pod"), Task("a", agentId, "sleep 60"), Task("b", agentId, "sleep 60")), ct)).Status);
        var running = new HashSet<string>();
        var updates = new Dictionary<string, List<JsonObject>> { ["a"] = [], ["b"] = [] };
        while (running.Count < 2)
        {
            var status = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
            var taskId = (string)status["task_id"]!["value"]!;
            updates[taskId].Add(status);
            await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id(taskId), ["uuid"] = (string)status["uuid"]! }, ct);
            if ((string?)status["state"] == "TASK_RUNNING")
            {
                running.Add(taskId);
            }
        }

        Assert.Equal(202, (await scheduler.CallAsync("KILL", new JsonObject { ["task_id"] = Id("a"), ["agent_id"] = Id(agentId) }, ct)).Status);
        var rest = await UntilTerminalAsync(scheduler, agentId, ["a", "b"], ct);

        Assert.Equal("TASK_KILLED", States(rest["a"]).Last());
        Assert.Equal("TASK_KILLED", States(rest["b"]).Last());
    }

    [Fact]
    public async Task InvalidGroups_AreTaskErrorWithTaskGroupInvalidForEveryTask_AndNothingIsLaunched()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, agentId, offerId) = await SubscribeAsync(master.Port, "group-invalid", ct);
        using var _ = scheduler;

        async Task ExpectErrorsAsync(JsonObject accept, string[] taskIds, string message)
        {
            Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", accept, ct)).Status);
            foreach (var taskId in taskIds)
            {
                var status = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
                Assert.Equal(taskId, (string?)status["task_id"]!["value"]);
                Assert.Equal("TASK_ERROR", (string?)status["state"]);
                Assert.Equal("REASON_TASK_GROUP_INVALID", (string?)status["reason"]);
                Assert.Equal("SOURCE_MASTER", (string?)status["source"]);
                Assert.Contains(message, (string?)status["message"], StringComparison.Ordinal);
                Assert.Null(status["uuid"]);
            }

            // The refused ACCEPT declined its offer; the next one comes back for the next attempt.
            offerId = (string)(await scheduler.NextAsync(e => Type(e) == "OFFERS", ct))["offers"]!["offers"]![0]!["id"]!["value"]!;
        }

        var withExecutor = Task("own", agentId, "sleep 1");
        withExecutor["executor"] = DefaultExecutor("other");
        await ExpectErrorsAsync(LaunchGroup(offerId, DefaultExecutor("pod"), withExecutor, Task("plain", agentId, "sleep 1")), ["own", "plain"],
            "The `ExecutorInfo` of task 'own' is different from executor 'pod'");
        await ExpectErrorsAsync(LaunchGroup(offerId, DefaultExecutor("pod"), Task("twin", agentId, "sleep 1"), Task("twin", agentId, "sleep 1")), ["twin", "twin"],
            "Task 'twin' is invalid: Task id 'twin' is already in use");
        await ExpectErrorsAsync(LaunchGroup(offerId, DefaultExecutor("pod"), Task("big", agentId, "sleep 1", cpus: 3), Task("bigger", agentId, "sleep 1", cpus: 1)), ["big", "bigger"],
            "required by task group and its executor are more than available");
        var withCommand = DefaultExecutor("pod");
        withCommand["command"] = new JsonObject { ["value"] = "./executor" };
        await ExpectErrorsAsync(LaunchGroup(offerId, withCommand, Task("c", agentId, "sleep 1")), ["c"],
            "'ExecutorInfo.command' must not be set for 'DEFAULT' executor");

        // An empty group has no task to report on; it launches nothing and its offer is declined.
        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", LaunchGroup(offerId, DefaultExecutor("pod")), ct)).Status);
        await scheduler.NextAsync(e => Type(e) == "OFFERS", ct);

        using var http = new HttpClient();
        var state = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{master.Port}/master/state", ct))!;
        var framework = state["frameworks"]!.AsArray().Single(f => (string?)f!["id"] == scheduler.FrameworkId)!;
        Assert.Empty(framework["tasks"]!.AsArray());
        Assert.Empty(framework["completed_tasks"]!.AsArray());
        Assert.Empty(JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{agent.HttpPort}/state", ct))!["frameworks"]!.AsArray());
    }

    [Fact]
    public async Task ARunningGroup_SurvivesAnAgentRestart_AndStillDiesAsAGroup()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        var options = TestAgent.Options([$"127.0.0.1:{master.Port}"], TempDirectory.Create("group-recovery")) with { KillTasksOnStop = false };
        var first = await Mesos.Agent.AgentRuntime.StartAsync(options);
        var agentId = await first.WaitForRegistrationAsync(ct);
        var (scheduler, _, offerId) = await SubscribeAsync(master.Port, "group-recovery", ct);
        using var __ = scheduler;

        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", LaunchGroup(offerId, DefaultExecutor("pod"), Task("a", agentId, "sleep 60"), Task("b", agentId, "sleep 60")), ct)).Status);
        var running = new HashSet<string>();
        while (running.Count < 2)
        {
            var status = (await scheduler.NextAsync(e => Type(e) == "UPDATE", ct))["update"]!["status"]!.AsObject();
            var taskId = (string)status["task_id"]!["value"]!;
            await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = Id(agentId), ["task_id"] = Id(taskId), ["uuid"] = (string)status["uuid"]! }, ct);
            if ((string?)status["state"] == "TASK_RUNNING")
            {
                running.Add(taskId);
            }
        }

        // The tasks keep running under their supervisors while no agent is there.
        await first.DisposeAsync();
        await using var second = await Mesos.Agent.AgentRuntime.StartAsync(options);
        Assert.Equal(agentId, await second.WaitForRegistrationAsync(ct));

        using var http = new HttpClient();
        var state = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{second.HttpPort}/state", ct))!;
        var executor = Assert.Single(state["frameworks"]![0]!["executors"]!.AsArray())!;
        Assert.Equal("DEFAULT", (string?)executor["type"]);
        Assert.Equal(["a", "b"], executor["tasks"]!.AsArray().Select(t => (string)t!["id"]!).Order());
        Assert.All(executor["tasks"]!.AsArray(), t => Assert.Equal("TASK_RUNNING", (string?)t!["state"]));

        Assert.Equal(202, (await scheduler.CallAsync("KILL", new JsonObject { ["task_id"] = Id("b"), ["agent_id"] = Id(agentId) }, ct)).Status);
        var rest = await UntilTerminalAsync(scheduler, agentId, ["a", "b"], ct);
        Assert.Equal("TASK_KILLED", States(rest["a"]).Last());
        Assert.Equal("TASK_KILLED", States(rest["b"]).Last());
    }

    [Fact]
    public async Task AGroupForACustomExecutor_ReachesItAsOneLaunchGroupEvent()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        var (scheduler, agentId, offerId) = await SubscribeAsync(master.Port, "group-custom", ct);
        using var _ = scheduler;
        var script = Path.Combine(AppContext.BaseDirectory, "Api", "Http", "Executor", "test_executor.py");
        var executor = new JsonObject
        {
            ["type"] = "CUSTOM",
            ["executor_id"] = Id("py-group"),
            ["name"] = "test executor",
            ["command"] = new JsonObject { ["value"] = $"exec python3 '{script}'" },
            ["resources"] = new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 32), Scalar("disk", 10)),
        };
        var g1 = Task("g1", agentId, "unused");
        var g2 = Task("g2", agentId, "unused");
        g1.Remove("command");
        g2.Remove("command");

        Assert.Equal(202, (await scheduler.CallAsync("ACCEPT", LaunchGroup(offerId, executor, g1, g2), ct)).Status);
        var updates = await UntilTerminalAsync(scheduler, agentId, ["g1", "g2"], ct);

        Assert.All(updates.Values, u => Assert.Equal(["TASK_RUNNING", "TASK_FINISHED"], States(u)));
        var stdout = Path.Combine(agent.Options.WorkDir, "slaves", agentId, "frameworks", scheduler.FrameworkId, "executors", "py-group", "runs", "latest", "stdout");
        Assert.Contains("EVENT LAUNCH_GROUP g1 g2", (await File.ReadAllTextAsync(stdout, ct)).Split('\n'));
        Assert.Equal(202, (await scheduler.CallAsync("SHUTDOWN", new JsonObject { ["executor_id"] = Id("py-group"), ["agent_id"] = Id(agentId) }, ct)).Status);
        Assert.Equal("py-group", (string?)(await scheduler.NextAsync(e => Type(e) == "FAILURE", ct))["failure"]!["executor_id"]!["value"]);
    }
}
