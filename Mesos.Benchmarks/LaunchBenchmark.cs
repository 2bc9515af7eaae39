using System.Diagnostics;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Client;
using Mesos.Core.Resources;
using Mesos.Master;
using Mesos.Master.Configuration;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Benchmarks;

/// <summary>
/// Tasks launched per second end to end: a real master and a real agent on 127.0.0.1 (in this process, over
/// sockets), and `mesos execute`-style frameworks that each subscribe, wait for an offer, launch one `true`
/// task, wait for TASK_FINISHED (acknowledging every update), and tear down. Several run at once.
/// </summary>
public static class LaunchBenchmark
{
    public static async Task RunAsync(int tasks, int concurrency, int runs)
    {
        var rates = new List<double>();
        var latencies = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var (rate, runLatencies) = await RunOnceAsync(tasks, concurrency);
            rates.Add(rate);
            latencies.AddRange(runLatencies);
            Console.WriteLine($"launch: run {run + 1}: {tasks} tasks by {concurrency} concurrent frameworks: {rate:N1} tasks/s; launch-to-finished median {Stats.Median(runLatencies):N0} ms");
        }

        Console.WriteLine($"launch: median {Stats.Median(rates):N1} tasks/s over {runs} runs; subscribe-to-TASK_FINISHED per framework: median {Stats.Median(latencies):N0} ms, p99 {Stats.Percentile(latencies, 99):N0} ms");
    }

    private static async Task<(double Rate, List<double> Latencies)> RunOnceAsync(int tasks, int concurrency)
    {
        var root = Path.Combine(Path.GetTempPath(), "mesos-bench", Guid.NewGuid().ToString("N"));
        using var quiet = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        var options = new MasterOptions(
            WorkDir: Path.Combine(root, "master"),
            Port: 0,
            Ip: "127.0.0.1",
            Hostname: "127.0.0.1",
            OfferTimeout: null,
            AgentPingTimeout: TimeSpan.FromSeconds(15),
            MaxAgentPingTimeouts: 5,
            AllocationInterval: TimeSpan.FromSeconds(1),
            FrameworkHeartbeatInterval: TimeSpan.FromSeconds(15),
            Cluster: "bench",
            Flags: []);
        await using var master = await MasterServer.StartAsync(options, CancellationToken.None, b => b.SetMinimumLevel(LogLevel.Warning));
        await using var agent = await AgentRuntime.StartAsync(new AgentOptions
        {
            Masters = [$"127.0.0.1:{master.Port}"],
            WorkDir = Path.Combine(root, "agent"),
            Resources = ResourceSet.Parse("cpus:16;mem:16384"),
            Port = 0,
            Ip = "127.0.0.1",
            Hostname = "127.0.0.1",
        }, quiet);
        await agent.WaitForRegistrationAsync();

        using var connection = new MasterConnection($"127.0.0.1:{master.Port}");
        var latencies = new List<double>();
        var next = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= tasks)
            {
                var started = Stopwatch.GetTimestamp();
                await RunOneTaskAsync(connection);
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }));
        stopwatch.Stop();

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }

        return (tasks / stopwatch.Elapsed.TotalSeconds, latencies);
    }

    private static async Task RunOneTaskAsync(MasterConnection connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var driver = new SchedulerDriver(connection, new FrameworkInfo { Name = "bench", User = System.Environment.UserName, FailoverTimeout = 60 });
        driver.Start();
        var taskId = "t-" + Guid.NewGuid().ToString("N")[..12];
        var launched = false;
        await foreach (var @event in driver.ReadEventsAsync(timeout.Token))
        {
            switch (@event.EventCase)
            {
                case SchedulerEvent.EventOneofCase.Offers when launched:
                    await driver.DeclineAsync(@event.Offers.Offers_.Select(o => o.Id), new Filters { RefuseSeconds = 60 }, timeout.Token);
                    break;
                case SchedulerEvent.EventOneofCase.Offers:
                    launched = true;
                    var offer = @event.Offers.Offers_[0];
                    var task = new TaskInfo { TaskId = taskId, Name = "true", Command = new CommandInfo { Value = "true" } };
                    task.Resources.AddRange(ProtoResources.ToWire(ResourceSet.Parse("cpus:0.1;mem:32")));
                    await driver.AcceptAsync([offer.Id], [task], new Filters { RefuseSeconds = 0 }, timeout.Token);
                    foreach (var other in @event.Offers.Offers_.Skip(1))
                    {
                        await driver.DeclineAsync([other.Id], new Filters { RefuseSeconds = 0 }, timeout.Token);
                    }

                    break;
                case SchedulerEvent.EventOneofCase.Update:
                    await driver.AcknowledgeAsync(@event.Update.Status, timeout.Token);
                    if (@event.Update.Status.TaskId == taskId && TaskStates.IsTerminal(@event.Update.Status.State))
                    {
                        await driver.TeardownAsync(timeout.Token);
                        return;
                    }

                    break;
            }
        }
    }
}
