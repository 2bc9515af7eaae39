using System.Diagnostics;
using Mesos.Agent.Containerizer;
using Mesos.Agent.Executor;
using Mesos.Agent.Isolation;
using Mesos.Agent.Recovery;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Benchmarks;

/// <summary>
/// The agent's container launch path alone (no master): `true` tasks through the command executor as the agent
/// runs them (sandbox, checkpoint, supervisor, containerizer), posix and cgroups. Prints launch-to-TASK_RUNNING
/// (median, p99) and containers per second (launch to terminal, <c>concurrency</c> at once), beside the bare
/// fork/exec rate of the machine (Process.Start("true") and wait, at the same concurrency).
/// </summary>
public static class ContainerBenchmark
{
    public static async Task RunAsync(int tasks, int concurrency, int runs)
    {
        var bare = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            bare.Add(await BareForkExecRateAsync(tasks, concurrency));
        }

        Console.WriteLine($"container: bare fork/exec of `true`: median {Stats.Median(bare):N0} processes/s over {runs} runs ({concurrency} at once)");

        var isolations = new List<(string Name, Func<IContainerizer> Create)> { ("posix/cpu,posix/mem", () => new PosixContainerizer()) };
        try
        {
            var cgroups = IsolationConfig.Resolve("cgroups/cpu,cgroups/mem", enableCfs: true, () => CgroupsMounts.Detect("mesos-bench"));
            isolations.Add(("cgroups/cpu,cgroups/mem", () => new CgroupsContainerizer(cgroups)));
        }
        catch (IsolationException e)
        {
            Console.WriteLine($"container: cgroups not available, skipping them: {e.Message}");
        }

        foreach (var (name, create) in isolations)
        {
            var rates = new List<double>();
            var toRunning = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var (rate, latencies) = await RunOnceAsync(create(), tasks, concurrency);
                rates.Add(rate);
                toRunning.AddRange(latencies);
            }

            Console.WriteLine(
                $"container: {name}: launch-to-TASK_RUNNING median {Stats.Median(toRunning):N1} ms, p99 {Stats.Percentile(toRunning, 99):N1} ms; " +
                $"{Stats.Median(rates):N1} containers/s (median of {runs} runs of {tasks}, {concurrency} at once); " +
                $"{Stats.Median(rates) / Stats.Median(bare) * 100:N1}% of bare fork/exec");
        }
    }

    private static async Task<double> BareForkExecRateAsync(int count, int concurrency)
    {
        var next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
                await process.WaitForExitAsync();
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double Rate, List<double> ToRunning)> RunOnceAsync(IContainerizer containerizer, int count, int concurrency)
    {
        var workDir = Path.Combine(Path.GetTempPath(), "mesos-bench-containers", Guid.NewGuid().ToString("N"));
        var framework = new FrameworkInfo { Id = "bench-fw", Name = "bench", User = "root" };
        var latencies = new List<double>();
        var next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= count)
            {
                var task = new TaskInfo { TaskId = $"t{i}", Name = "true", Command = new CommandInfo { Value = "true" } };
                task.Resources.Add(new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 0.1 } });
                task.Resources.Add(new Resource { Name = "mem", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 32 } });
                var containerId = Guid.NewGuid().ToString();
                var checkpoint = new TaskCheckpoint(workDir, "bench-S0", framework.Id, task.TaskId, containerId, task.TaskId);
                checkpoint.WriteLaunch(framework, task);
                var started = Stopwatch.GetTimestamp();
                double? running = null;
                void Report(TaskStatus status)
                {
                    if (status.State == TaskState.TaskRunning)
                    {
                        running = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                }

                var launch = new TaskLaunch("bench-S0", framework, task, task.TaskId, workDir, "127.0.0.1:5051");
                var executor = new CommandExecutor(launch, containerizer, Report, TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(3), containerId, checkpoint);
                await executor.RunAsync(CancellationToken.None);
                if (running is { } ms)
                {
                    lock (latencies)
                    {
                        latencies.Add(ms);
                    }
                }
            }
        })));
        var rate = count / clock.Elapsed.TotalSeconds;
        try
        {
            Directory.Delete(workDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return (rate, latencies);
    }
}
