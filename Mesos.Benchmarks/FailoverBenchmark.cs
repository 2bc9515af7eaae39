using System.Diagnostics;
using System.Globalization;
using Mesos.Benchmarks.Failover;
using Mesos.EventLog.Marten;
using Mesos.Master.Registry;

namespace Mesos.Benchmarks;

/// <summary>
/// Master failover on PostgreSQL: three `mesos master` processes, two agents and a framework launching short tasks
/// over the v1 HTTP API; the leader is SIGKILLed at seeded random moments and restarted as a standby. Prints, over
/// the kills, how long until a standby led (its MasterElected committed), until the framework had re-subscribed
/// with it, and until both agents were attached to it: min, median, p90 and max. Mesos' paper reports 4-8 s.
/// Usage: <c>Mesos.Benchmarks failover --registry_url URL [--kills N] [--seed S]</c>; the registry must be empty,
/// e.g. a fresh <c>infra/pg/cluster.sh start --dir /tmp/mesos-pg-failover --port 55433</c>.
/// </summary>
public static class FailoverBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var url = Option(args, "--registry_url") ?? Environment.GetEnvironmentVariable("MESOS_REGISTRY_URL")
            ?? throw new ArgumentException("failover needs --registry_url of an empty registry (start one with infra/pg/cluster.sh start --dir DIR --port PORT)");
        var kills = int.Parse(Option(args, "--kills") ?? "10", CultureInfo.InvariantCulture);
        var seed = int.Parse(Option(args, "--seed") ?? Environment.TickCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        await using (var log = await RegistryFactory.OpenAsync(RegistryOptions.Postgres(RegistryUrl.ToConnectionString(url)), CancellationToken.None))
        {
            var head = await log.GetHeadAsync(CancellationToken.None);
            if (head != 0)
            {
                throw new ArgumentException($"the registry at {MartenEventLog.DescribeConnection(RegistryUrl.ToConnectionString(url))} holds {head} events: give failover an empty one");
            }
        }

        var work = Directory.CreateTempSubdirectory("mesos-failover-bench-").FullName;
        Console.WriteLine($"failover benchmark: 3 masters (processes), 2 agents, 1 framework on PostgreSQL; {kills} SIGKILLs of the leader, seed {seed}; {Environment.ProcessorCount} cores");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var options = new FailoverRigOptions(url, StartInfo, work, seed, Console.WriteLine);
            await using var rig = await FailoverRig.StartAsync(options, cts.Token);
            await rig.KillLeadersAsync(kills, cts.Token);
            Print("a standby held the lock, caught up", rig.Takeovers.Select(t => t.LockTaken));
            Print("a standby led (MasterElected committed)", rig.Takeovers.Select(t => t.Elected));
            Print("the framework re-subscribed with it", rig.Takeovers.Select(t => t.FrameworkBack));
            Print("both agents attached to it", rig.Takeovers.Select(t => t.AgentsBack));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rig.Takeovers.Count(t => t.Elected <= TimeSpan.FromSeconds(5))} of {rig.Takeovers.Count} takeovers within 5 s; {rig.Framework.FinishedAt.Count} tasks finished meanwhile; {rig.StepDowns} masters stepped down by themselves, {rig.StepBacks} went back to standby before leading (lease lost under load); load average {File.ReadAllText("/proc/loadavg").Trim()}. Mesos (NSDI 2011): 4-8 s."));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Print(string what, IEnumerable<TimeSpan> times)
    {
        var ms = times.Select(t => t.TotalMilliseconds).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  kill -> {what}: min {ms.Min():0} ms, median {Stats.Median(ms):0} ms, p90 {Stats.Percentile(ms, 90):0} ms, max {ms.Max():0} ms (n={ms.Count})"));
    }

    /// <summary>mesos.dll is copied beside this benchmark; it runs on the benchmark's runtime and dependency list.</summary>
    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(host);
        foreach (var argument in new[]
        {
            "exec",
            "--runtimeconfig", Path.Combine(AppContext.BaseDirectory, "Mesos.Benchmarks.runtimeconfig.json"),
            "--depsfile", Path.Combine(AppContext.BaseDirectory, "Mesos.Benchmarks.deps.json"),
            Path.Combine(AppContext.BaseDirectory, "mesos.dll"),
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static string? Option(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }
}
