using System.Diagnostics;
using System.Text;
using Mesos.Core.Agents;
using Mesos.Core.Allocation;
using Mesos.Core.Attributes;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Masters;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.EventLog.Sqlite;
using Mesos.Master;
using Mesos.Master.Api.Http.Legacy;
using Mesos.Master.Api.Http.Operator;
using Mesos.Master.Loop;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Benchmarks;

/// <summary>
/// /master/state and the operator API's GET_STATE on a large cluster (Mesos' master_benchmarks.cpp shape:
/// many agents, ten tasks each), built by folding decided events. Prints the render time in process, then the
/// time over HTTP from a real master that replayed the same log. Mesos 1.7 took about 3 s for /master/state at
/// its benchmark size (mesos-reference.md section 8.2).
/// </summary>
public static class StateEndpointsBenchmark
{
    public static async Task RunAsync(int agents, int tasksPerAgent, int runs)
    {
        var started = Stopwatch.StartNew();
        var (state, events) = Build(agents, tasksPerAgent);
        Console.WriteLine($"state: {state.Agents.Count:N0} agents, {state.Tasks.Count:N0} tasks, {state.Frameworks.Count} frameworks from {events.Count:N0} events in {started.Elapsed.TotalSeconds:N1} s");

        var runtime = new MasterRuntime(TimeProvider.System);
        var snapshot = new ClusterSnapshot(state, events.Count);
        Measure("in process: /master/state", runs, () => LegacyEndpoints.Render(json => LegacyJson.WriteState(json, snapshot, runtime, "bench", [])));
        Measure("in process: GET_STATE", runs, () => OperatorHttpEndpoints.Render("GET_STATE", "get_state", json => V1Json.WriteGetState(json, state, "1.11.0")));

        var root = Path.Combine(Path.GetTempPath(), "mesos-bench", Guid.NewGuid().ToString("N"));
        var options = BenchmarkMaster.Options(root);
        Directory.CreateDirectory(root);
        await using (var log = await SqliteEventLog.OpenAsync(options.LogPath, CancellationToken.None))
        {
            foreach (var chunk in events.Chunk(10_000))
            {
                await log.AppendAsync(chunk, null, CancellationToken.None);
            }
        }

        started.Restart();
        await using var master = await MasterServer.StartAsync(options, CancellationToken.None, b => b.SetMinimumLevel(LogLevel.Warning));
        Console.WriteLine($"master replayed the log and started in {started.Elapsed.TotalSeconds:N1} s");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}"), Timeout = TimeSpan.FromMinutes(5) };
        await MeasureAsync("http: GET /master/state", runs, async () => await http.GetByteArrayAsync("/master/state"));
        await MeasureAsync("http: POST /api/v1 GET_STATE", runs, async () =>
        {
            using var content = new StringContent("""{"type":"GET_STATE"}""", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/api/v1", content);
            return await response.Content.ReadAsByteArrayAsync();
        });
        await MeasureAsync("http: POST /api/v1 GET_STATE (x-protobuf)", runs, async () =>
        {
            using var content = new StringContent("""{"type":"GET_STATE"}""", Encoding.UTF8, "application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = content };
            request.Headers.Accept.ParseAdd("application/x-protobuf");
            using var response = await http.SendAsync(request);
            return await response.Content.ReadAsByteArrayAsync();
        });
        Directory.Delete(root, recursive: true);
    }

    private static void Measure(string what, int runs, Func<byte[]> render)
    {
        var times = new List<double>();
        var size = 0;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            size = render().Length;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"{what}: median {Stats.Median(times):N0} ms over {runs} runs ({size / 1_048_576.0:N1} MB); {Stats.Median(times) / 3000:N2} times Mesos 1.7's ~3 s for /master/state");
    }

    private static async Task MeasureAsync(string what, int runs, Func<Task<byte[]>> fetch)
    {
        var times = new List<double>();
        var size = 0;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            size = (await fetch()).Length;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"{what}: median {Stats.Median(times):N0} ms over {runs} runs ({size / 1_048_576.0:N1} MB); {Stats.Median(times) / 3000:N2} times Mesos 1.7's ~3 s for /master/state");
    }

    /// <summary>Agents, ten frameworks, one allocation, and each offer accepted with <paramref name="tasksPerAgent"/> running tasks.</summary>
    internal static (ClusterState State, List<ClusterEvent> Events) Build(int agents, int tasksPerAgent)
    {
        var decider = new ClusterDecider(new RoundRobinAllocator());
        var state = ClusterState.Empty;
        var events = new List<ClusterEvent>();
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        void Do(MasterCommand command)
        {
            var decision = decider.Decide(state, command, now);
            if (decision.IsError)
            {
                throw new InvalidOperationException($"{command.GetType().Name}: {decision.Error!.Message}");
            }

            state = ClusterFold.ApplyAll(state, decision.Events);
            events.AddRange(decision.Events);
        }

        Do(new ElectMaster(new MasterIdentity("bench-master", "localhost", "127.0.0.1", 5050, "1.11.0")) { Principal = "master" });
        for (var i = 0; i < agents; i++)
        {
            Do(new RegisterAgent(new AgentInfo($"agent-{i}", 5051, ResourceSet.Parse("cpus:32;mem:65536;disk:100000;ports:[31000-32000]"), AgentAttributes.Parse($"rack:r{i % 10}"))) { Principal = "agent" });
        }

        for (var i = 0; i < 10; i++)
        {
            Do(new SubscribeFramework(new FrameworkInfo($"framework-{i}", "root", ["*"], 3600, false, string.Empty, string.Empty, string.Empty, []), null) { Principal = "framework" });
        }

        now = now.AddSeconds(1);
        Do(new RunAllocation(0) { Principal = "master" });
        var number = 0;
        var seed = 0;
        foreach (var offer in state.Offers.Values.ToList())
        {
            var tasks = Enumerable.Range(0, tasksPerAgent).Select(_ => new TaskInfo(new TaskId($"task-{number++}"), "sleep", offer.AgentId,
                ResourceSet.Parse("cpus:1;mem:128"), new CommandInfo("sleep 1000", true, [], [], null), null)).ToList();
            Do(new AcceptOffers(offer.FrameworkId, [offer.Id], ValueArray.From(tasks), 0) { Principal = "framework" });
            foreach (var task in tasks)
            {
                var uuid = new Guid(++seed, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);
                Do(new UpdateTaskStatus(offer.AgentId, offer.FrameworkId, task.TaskId, new TaskStatus(TaskState.Running, null, string.Empty, StatusSource.Executor, uuid, now)) { Principal = "agent" });
                Do(new AcknowledgeStatus(offer.FrameworkId, offer.AgentId, task.TaskId, uuid) { Principal = "framework" });
            }
        }

        return (state, events);
    }
}
