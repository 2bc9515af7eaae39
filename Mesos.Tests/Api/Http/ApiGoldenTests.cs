using System.Text;
using System.Text.Json.Nodes;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Quotas;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Master.Api.Http.Legacy;
using Mesos.Master.Api.Http.Operator;
using Mesos.Master.Loop;
using Mesos.Tests.Core.Scenarios;
using Mesos.Tests.Integration;
using Microsoft.Extensions.Time.Testing;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Golden files of the operator API's GET_STATE and event stream and of /master/state, rendered from a cluster
/// built through decide and fold (so every id and time is fixed), and of /metrics/snapshot from a live master.
/// Field names are checked against the names mesos-reference.md lists (sections 3 and 4).
/// </summary>
public sealed class ApiGoldenTests
{
    /// <summary>Two agents, a plain and a MULTI_ROLE framework, tasks running, staging, finished, and one framework torn down.</summary>
    private static ClusterBuilder Cluster()
    {
        var cluster = ClusterBuilder.WithMaster();
        var agent1 = cluster.RegisterAgent("agent1");
        cluster.AdvanceSeconds(1);
        var agent2 = cluster.RegisterAgent("agent2");
        cluster.AdvanceSeconds(1);
        var plain = cluster.Subscribe(TestCluster.Framework("plain"));
        var multi = cluster.Subscribe(TestCluster.Framework("multi", ["eng"], 60, FrameworkCapability.MultiRole, FrameworkCapability.PartitionAware));
        var gone = cluster.Subscribe(TestCluster.Framework("gone"));
        cluster.Execute(new Mesos.Core.Commands.UpdateWeights([new RoleWeight("eng", 2.0)]) { Principal = TestCluster.Operator });
        cluster.Execute(new Mesos.Core.Commands.UpdateQuota([new RoleQuota("eng", TestCluster.Res("cpus:1"), TestCluster.Res("cpus:3;mem:2048"))], false) { Principal = TestCluster.Operator });
        cluster.AdvanceSeconds(1);
        cluster.RunningTask(plain, agent1, "web-1", "cpus:1;mem:256;ports:[31000-31001]");
        cluster.AdvanceSeconds(1);
        var done = cluster.LaunchOn(multi, agent2, "batch-1", "cpus:0.5;mem:64");
        cluster.UpdateAndAck(done, TaskState.Running);
        cluster.AdvanceSeconds(2);
        cluster.UpdateAndAck(done, TaskState.Finished);
        cluster.LaunchOn(multi, agent2, "batch-2", "cpus:0.5;mem:64");
        cluster.AdvanceSeconds(1);
        cluster.Execute(new Mesos.Core.Commands.TeardownFramework(gone) { Principal = TestCluster.Operator });
        cluster.Allocate();
        return cluster;
    }

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    private static string GetState(ClusterState state) =>
        Text(OperatorHttpEndpoints.Render("GET_STATE", "get_state", json => V1Json.WriteGetState(json, state, "1.11.0")));

    private static string MasterState(ClusterState state)
    {
        var runtime = new MasterRuntime(new FakeTimeProvider(TestCluster.T0));
        runtime.Elected(TestCluster.Master1, TestCluster.T0);
        var snapshot = new ClusterSnapshot(state, 42);
        return Text(LegacyEndpoints.Render(json => LegacyJson.WriteState(json, snapshot, runtime, "test", [("port", "5050"), ("work_dir", "/var/lib/mesos")])));
    }

    [Fact]
    public void GetState_MatchesItsGoldenFile() => GoldenFile.Verify("get-state", GetState(Cluster().State));

    /// <summary>/master/state-summary of the same cluster, with its second agent draining (so the slave summary carries drain_info).</summary>
    private static string MasterStateSummary()
    {
        var cluster = Cluster();
        cluster.Execute(new Mesos.Core.Commands.DrainAgent(cluster.State.Agents.Keys.Last(), 60_000_000_000, false) { Principal = TestCluster.Operator });
        return Text(LegacyEndpoints.Render(json => LegacyJson.WriteStateSummary(json, cluster.State, "test")));
    }

    [Fact]
    public void MasterStateSummary_MatchesItsGoldenFile() => GoldenFile.Verify("master-state-summary", MasterStateSummary());

    [Fact]
    public void MasterStateSummary_HasMesosFieldsAndTaskCounts()
    {
        var summary = JsonNode.Parse(MasterStateSummary())!.AsObject();
        Assert.Equal(["hostname", "cluster", "slaves", "frameworks"], summary.Select(p => p.Key));
        string[] counts = ["TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "TASK_FINISHED", "TASK_KILLED", "TASK_FAILED", "TASK_LOST", "TASK_ERROR", "TASK_UNREACHABLE"];
        foreach (var slave in summary["slaves"]!.AsArray())
        {
            AssertFields("state-summary slaves[]", [.. SlaveFields, .. counts, "framework_ids"], slave!.AsObject());
        }

        string[] frameworkSummary = ["id", "name", "pid", "used_resources", "offered_resources", "capabilities", "hostname", "webui_url", "active", "connected", "recovered"];
        foreach (var framework in summary["frameworks"]!.AsArray())
        {
            AssertFields("state-summary frameworks[]", [.. frameworkSummary, .. counts, "slave_ids"], framework!.AsObject());
        }

        // agent2 ran batch-1 (finished) and runs batch-2 (staging), both of "multi"; the torn-down framework is not listed.
        var agent2 = summary["slaves"]!.AsArray().Single(s => (string?)s!["hostname"] == "agent2")!;
        Assert.Equal(1, (int)agent2["TASK_STAGING"]!);
        Assert.Equal(1, (int)agent2["TASK_FINISHED"]!);
        Assert.Equal("DRAINING", (string?)agent2["drain_info"]!["state"]);
        var multi = summary["frameworks"]!.AsArray().Single(f => (string?)f!["name"] == "multi")!;
        Assert.Equal([(string?)agent2["id"]], multi["slave_ids"]!.AsArray().Select(i => (string?)i));
        Assert.Equal([(string?)multi["id"]], agent2["framework_ids"]!.AsArray().Select(i => (string?)i));
        Assert.DoesNotContain(summary["frameworks"]!.AsArray(), f => (string?)f!["name"] == "gone");
    }

    [Fact]
    public void MasterState_MatchesItsGoldenFile() => GoldenFile.Verify("master-state", MasterState(Cluster().State));

    /// <summary>Every operator event the log of <see cref="Cluster"/> produces, plus an agent lost and one removed.</summary>
    [Fact]
    public void OperatorEvents_MatchTheirGoldenFile()
    {
        var cluster = Cluster();
        var agents = cluster.State.Agents.Keys.ToList();
        cluster.Append(new AgentMarkedUnreachable(agents[0]) { At = cluster.Now, Principal = "master" });
        cluster.Append(new AgentRemoved(agents[1], "removed by operator") { At = cluster.Now, Principal = TestCluster.Operator });
        var state = ClusterState.Empty;
        var events = new JsonArray();
        foreach (var @event in cluster.Log)
        {
            var before = state;
            state = ClusterFold.Apply(state, @event);
            foreach (var record in OperatorEventStream.Translate(before, state, @event))
            {
                events.Add(JsonNode.Parse(record));
            }
        }

        events.Add(JsonNode.Parse(OperatorEventStream.Heartbeat()));
        var types = events.Select(e => (string)e!["type"]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "AGENT_ADDED", "AGENT_REMOVED", "FRAMEWORK_ADDED", "FRAMEWORK_REMOVED", "TASK_ADDED", "TASK_UPDATED", "HEARTBEAT" }, types);
        GoldenFile.Verify("operator-events", events.ToJsonString());
    }

    /// <summary>The names of /metrics/snapshot (values vary with timing, so they are zeroed; OperatorHttpApiTests checks values).</summary>
    [Fact]
    public async Task MetricsSnapshot_MatchesItsGoldenFile()
    {
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient();
        var snapshot = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{master.Port}/metrics/snapshot"))!.AsObject();
        var names = new JsonObject();
        foreach (var (name, _) in snapshot.Where(m => m.Key.StartsWith("master/", StringComparison.Ordinal)))
        {
            names[name] = 0;
        }

        GoldenFile.Verify("metrics-snapshot", names.ToJsonString());
    }

    // Names as mesos-reference.md section 4 lists them for /master/state and its parts.
    private static readonly string[] StateFields =
        ["version", "git_sha", "git_branch", "git_tag", "build_date", "build_time", "build_user", "start_time", "elected_time", "id", "pid", "hostname",
         "capabilities", "activated_slaves", "deactivated_slaves", "unreachable_slaves", "domain", "leader", "leader_info", "cluster", "log_dir",
         "external_log_file", "flags", "slaves", "recovered_slaves", "frameworks", "completed_frameworks", "orphan_tasks", "unregistered_frameworks"];

    private static readonly string[] SlaveFields =
        ["id", "hostname", "port", "attributes", "domain", "pid", "registered_time", "reregistered_time", "resources", "used_resources",
         "offered_resources", "reserved_resources", "unreserved_resources", "active", "deactivated", "version", "capabilities", "drain_info",
         "estimated_drain_start_time_seconds"];

    private static readonly string[] FrameworkFields =
        ["id", "name", "pid", "used_resources", "offered_resources", "capabilities", "hostname", "webui_url", "active", "connected", "recovered",
         "user", "failover_timeout", "checkpoint", "registered_time", "unregistered_time", "principal", "resources", "reregistered_time", "roles",
         "role", "tasks", "unreachable_tasks", "completed_tasks", "offers", "executors", "labels", "offer_constraints"];

    private static readonly string[] TaskFields =
        ["id", "name", "framework_id", "executor_id", "slave_id", "state", "resources", "limits", "role", "statuses", "user", "labels", "discovery",
         "container", "health_check"];

    // Section 3: GET_AGENTS and GET_FRAMEWORKS entries.
    private static readonly string[] AgentFields =
        ["agent_info", "active", "deactivated", "version", "pid", "registered_time", "reregistered_time", "total_resources", "allocated_resources",
         "offered_resources", "capabilities", "resource_providers", "drain_info", "estimated_drain_start_time"];

    private static readonly string[] V1FrameworkFields =
        ["framework_info", "active", "connected", "recovered", "registered_time", "reregistered_time", "unregistered_time", "offers",
         "inverse_offers", "allocated_resources", "offered_resources", "offer_constraints"];

    /// <summary>Optional in Mesos and never set here: git build facts, fault domains, draining, labels, logs, HTTP-framework pids.</summary>
    private static readonly HashSet<string> OptionalAndAbsent =
        ["git_sha", "git_branch", "git_tag", "domain", "log_dir", "external_log_file", "drain_info", "estimated_drain_start_time_seconds",
         "estimated_drain_start_time", "pid", "labels", "offer_constraints", "limits", "discovery", "container", "health_check", "user",
         "resource_providers", "inverse_offers", "capabilities", "reregistered_time", "unregistered_time", "role", "roles", "elected_time",

         // Repeated fields, which stout leaves out when empty.
         "offers", "offered_resources", "allocated_resources"];

    /// <summary>Kept beyond Mesos' fields for this project's web UI and tools; Mesos clients ignore unknown fields.</summary>
    private static readonly HashSet<string> Extras = ["state", "log_position", "state_hash"];

    private static void AssertFields(string what, IEnumerable<string> reference, JsonObject actual)
    {
        var names = actual.Select(p => p.Key).ToHashSet();
        var known = reference.ToHashSet();
        Assert.True(names.All(n => known.Contains(n) || Extras.Contains(n)), $"{what}: not in mesos-reference.md: {string.Join(", ", names.Where(n => !known.Contains(n) && !Extras.Contains(n)))}");
        var missing = known.Where(n => !names.Contains(n) && !OptionalAndAbsent.Contains(n)).ToList();
        Assert.True(missing.Count == 0, $"{what}: missing {string.Join(", ", missing)}");
    }

    [Fact]
    public void FieldNames_AreMesosNames()
    {
        var cluster = Cluster();
        var state = JsonNode.Parse(MasterState(cluster.State))!.AsObject();
        AssertFields("/master/state", StateFields, state);
        foreach (var slave in state["slaves"]!.AsArray())
        {
            AssertFields("slaves[]", SlaveFields, slave!.AsObject());
        }

        foreach (var framework in state["frameworks"]!.AsArray().Concat(state["completed_frameworks"]!.AsArray()))
        {
            AssertFields("frameworks[]", FrameworkFields, framework!.AsObject());
            foreach (var task in framework!["tasks"]!.AsArray().Concat(framework["completed_tasks"]!.AsArray()))
            {
                AssertFields("tasks[]", TaskFields, task!.AsObject());
            }
        }

        var getState = JsonNode.Parse(GetState(cluster.State))!["get_state"]!;
        foreach (var agent in getState["get_agents"]!["agents"]!.AsArray())
        {
            AssertFields("GET_AGENTS agents[]", AgentFields, agent!.AsObject());
        }

        foreach (var framework in getState["get_frameworks"]!["frameworks"]!.AsArray())
        {
            AssertFields("GET_FRAMEWORKS frameworks[]", V1FrameworkFields, framework!.AsObject());
        }
    }

    /// <summary>The main master metrics mesos-reference.md section 4 names, all present.</summary>
    [Fact]
    public async Task MetricsSnapshot_HasMesosMainMasterMetrics()
    {
        string[] expected =
        [
            "master/elected", "master/uptime_secs", "master/outstanding_offers", "master/slave_registrations", "master/slave_reregistrations",
            "master/slave_removals", "master/valid_status_updates", "master/valid_status_update_acknowledgements", "master/dropped_messages",
            "master/operator_event_stream_subscribers",
            .. new[] { "cpus", "mem", "disk", "gpus" }.SelectMany(r => new[] { "total", "used", "percent" }.Select(k => $"master/{r}_{k}")),
            .. new[] { "active", "inactive", "connected", "disconnected", "unreachable" }.Select(s => "master/slaves_" + s),
            .. new[] { "active", "inactive", "connected", "disconnected" }.Select(s => "master/frameworks_" + s),
            .. new[] { "staging", "starting", "running", "killing", "finished", "failed", "killed", "lost", "error", "unreachable" }.Select(s => "master/tasks_" + s),
            .. new[] { "messages", "dispatches", "http_requests" }.Select(s => "master/event_queue_" + s),
        ];
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient();
        var snapshot = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{master.Port}/metrics/snapshot"))!.AsObject();
        var missing = expected.Where(name => !snapshot.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
        Assert.All(snapshot, m => Assert.Equal(System.Text.Json.JsonValueKind.Number, m.Value!.GetValueKind()));
    }
}
