using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mesos.Core.Agents;
using Mesos.Core.Attributes;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.Tasks;
using Mesos.EventLog.Sqlite;
using Mesos.Master;
using Microsoft.Extensions.Logging;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Benchmarks;

/// <summary>
/// Concurrent readers of the whole state while a framework keeps launching: a real master on the same large
/// state as <see cref="StateEndpointsBenchmark"/> (10,000 agents, 100,000 tasks), N HTTP clients fetching
/// <c>/master/state</c> (or <c>GET_STATE</c>) back to back, and a launcher that keeps the master loop busy with
/// what a framework's launches cost it (an allocation cycle, ACCEPT with ten tasks, TASK_RUNNING and TASK_FINISHED
/// for each and their acknowledgements), submitted in process so that only reads share the HTTP server. Prints
/// reads/s and their latency, and the launch rate, for each number of readers (0 is the launch rate alone).
/// Usage: <c>Mesos.Benchmarks state-readers [AGENTS] [TASKS_PER_AGENT] [--readers 0,1,4,16] [--seconds S] [--endpoint state|get_state|get_state_protobuf]</c>.
/// </summary>
public static class StateReadersBenchmark
{
    private const int TasksPerAccept = 10;

    public static async Task RunAsync(string[] args)
    {
        var numbers = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var agents = numbers.Length > 0 ? numbers[0] : 10_000;
        var tasksPerAgent = numbers.Length > 1 ? numbers[1] : 10;
        var readerCounts = (Option(args, "--readers") ?? "0,1,4,16").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var seconds = double.Parse(Option(args, "--seconds") ?? "10", CultureInfo.InvariantCulture);
        var endpoint = Option(args, "--endpoint") ?? "state";

        var clock = Stopwatch.StartNew();
        var (state, events) = StateEndpointsBenchmark.Build(agents, tasksPerAgent);
        Console.WriteLine($"state-readers: {state.Agents.Count:N0} agents, {state.Tasks.Count:N0} tasks from {events.Count:N0} events in {clock.Elapsed.TotalSeconds:N1} s; {Environment.ProcessorCount} cores; reading {Describe(endpoint)}");

        var root = Path.Combine(Path.GetTempPath(), "mesos-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var options = BenchmarkMaster.Options(root);
        await using (var log = await SqliteEventLog.OpenAsync(options.LogPath, CancellationToken.None))
        {
            foreach (var chunk in events.Chunk(10_000))
            {
                await log.AppendAsync(chunk, null, CancellationToken.None);
            }
        }

        try
        {
            await using var master = await MasterServer.StartAsync(options, CancellationToken.None, b => b.SetMinimumLevel(LogLevel.Warning));
            var launcher = await Launcher.StartAsync(master);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{master.Port}"),
                Timeout = TimeSpan.FromMinutes(5),
            };

            // Warm up both paths once, so that the first measurement does not pay for JIT and connection set-up.
            await ReadAsync(http, endpoint);
            await launcher.LaunchAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            foreach (var readers in readerCounts)
            {
                await MeasureAsync(http, endpoint, launcher, readers, TimeSpan.FromSeconds(seconds));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task MeasureAsync(HttpClient http, string endpoint, Launcher launcher, int readers, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        var latencies = new List<double>();
        var bytes = 0L;
        var failures = 0;
        var readerTasks = Enumerable.Range(0, readers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    var size = await ReadAsync(http, endpoint);
                    lock (latencies)
                    {
                        latencies.Add(watch.Elapsed.TotalMilliseconds);
                        bytes += size;
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();

        var clock = Stopwatch.StartNew();
        var launched = await launcher.LaunchAsync(duration, CancellationToken.None);
        var launchSeconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(readerTasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var reads = latencies.Count;
        var line = $"{readers,3} readers: {launched / launchSeconds,8:N0} tasks launched/s";
        if (readers > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; {reads / elapsed,6:N2} reads/s ({reads} reads, {bytes / Math.Max(1, reads) / 1_048_576.0:N1} MB each), latency p50 {Stats.Median(latencies):N0} ms, p99 {Stats.Percentile(latencies, 99):N0} ms");
            if (failures > 0)
            {
                line += $", {failures} failed";
            }
        }

        Console.WriteLine(line);
    }

    private static async Task<long> ReadAsync(HttpClient http, string endpoint)
    {
        switch (endpoint)
        {
            case "state":
                return (await http.GetByteArrayAsync("/master/state")).LongLength;
            default:
                using (var content = new StringContent("""{"type":"GET_STATE"}""", Encoding.UTF8, "application/json"))
                using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = content })
                {
                    if (endpoint == "get_state_protobuf")
                    {
                        request.Headers.Accept.ParseAdd("application/x-protobuf");
                    }

                    using var response = await http.SendAsync(request);
                    response.EnsureSuccessStatusCode();
                    return (await response.Content.ReadAsByteArrayAsync()).LongLength;
                }
        }
    }

    private static string Describe(string endpoint) => endpoint switch
    {
        "state" => "GET /master/state",
        "get_state" => "POST /api/v1 GET_STATE (JSON)",
        "get_state_protobuf" => "POST /api/v1 GET_STATE (x-protobuf)",
        _ => throw new ArgumentException($"unknown --endpoint '{endpoint}': use state, get_state or get_state_protobuf"),
    };

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A framework of its own on agents of its own, launching and finishing tasks through the master loop.</summary>
    private sealed class Launcher(MasterServer master, FrameworkId framework)
    {
        private long seed = 1_000_000;
        private long taskNumber;

        public static async Task<Launcher> StartAsync(MasterServer master)
        {
            for (var i = 0; i < 4; i++)
            {
                Check(await master.Loop.SubmitAsync(new RegisterAgent(new AgentInfo($"launch-agent-{i}", 5051, ResourceSet.Parse("cpus:64;mem:262144;disk:100000;ports:[31000-32000]"), AgentAttributes.Parse("rack:launch"))) { Principal = "agent" }));
            }

            var subscribed = await master.Loop.SubmitAsync(new SubscribeFramework(new FrameworkInfo("launcher", "root", ["*"], 3600, false, string.Empty, string.Empty, string.Empty, []), null) { Principal = "launcher" });
            Check(subscribed);
            var id = subscribed.Events.OfType<Mesos.Core.Events.FrameworkSubscribed>().Single().FrameworkId;
            return new Launcher(master, id);
        }

        /// <summary>Launches (and finishes) tasks for <paramref name="duration"/>; returns how many were launched.</summary>
        public async Task<long> LaunchAsync(TimeSpan duration, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            long launched = 0;
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                Check(await master.Loop.SubmitAsync(new RunAllocation(Interlocked.Increment(ref seed)) { Principal = "master" }));
                var offers = master.State.Current.State.Offers.Values.Where(o => o.FrameworkId == framework).ToList();
                foreach (var offer in offers)
                {
                    var tasks = Enumerable.Range(0, TasksPerAccept).Select(_ => new TaskInfo(new TaskId($"launch-{taskNumber++}"), "launch", offer.AgentId,
                        ResourceSet.Parse("cpus:0.1;mem:32"), new CommandInfo("true", true, [], [], null), null)).ToList();
                    Check(await master.Loop.SubmitAsync(new AcceptOffers(framework, [offer.Id], ValueArray.From(tasks), 0) { Principal = "launcher" }));
                    launched += tasks.Count;
                    await Task.WhenAll(tasks.Select(t => FinishAsync(offer.AgentId, t.TaskId)));
                }
            }

            return launched;
        }

        private async Task FinishAsync(AgentId agent, TaskId task)
        {
            foreach (var state in new[] { TaskState.Running, TaskState.Finished })
            {
                var uuid = Guid.NewGuid();
                Check(await master.Loop.SubmitAsync(new UpdateTaskStatus(agent, framework, task, new TaskStatus(state, null, string.Empty, StatusSource.Executor, uuid, DateTimeOffset.UtcNow)) { Principal = "agent" }));
                Check(await master.Loop.SubmitAsync(new AcknowledgeStatus(framework, agent, task, uuid) { Principal = "launcher" }));
            }
        }

        private static void Check(Mesos.Master.Loop.CommandResult result)
        {
            if (result.Error is { } error)
            {
                throw new InvalidOperationException("the launcher's command was refused: " + error.Message);
            }
        }
    }
}
