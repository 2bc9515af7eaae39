using System.Text.Json.Nodes;
using Mesos.Agent.Containerizer;
using Mesos.Protocol.V1;

namespace Mesos.Agent.Http;

/// <summary>
/// What <c>/monitor/statistics</c> and the agent's <c>GetContainers</c> report: per running executor, the usage of its
/// container (from its cgroups, else /proc) and its limits (from the task's resources, as Mesos' containerizer).
/// </summary>
internal static class MonitorStatistics
{
    private const double BytesPerMegabyte = 1024 * 1024;

    public static IReadOnlyList<ContainerUsage> Collect(AgentCore core, TimeProvider time) => Measure(core, time).Executors;

    /// <summary>
    /// Per executor container as <see cref="Collect"/>, and the task containers nested in default executors' (Mesos'
    /// <c>show_nested</c>), each with its own usage and its parent's container id.
    /// </summary>
    public static (IReadOnlyList<ContainerUsage> Executors, IReadOnlyList<NestedUsage> Nested) Measure(AgentCore core, TimeProvider time)
    {
        // Under the lock only the lists are taken; /proc and cgroup files are read after it.
        var (commands, defaults) = core.Read(snapshot => (
            snapshot.Frameworks
                .SelectMany(f => f.Executors.Values)
                .Where(e => e.DefaultExecutor is null && e.Executor.Container is not null)
                .Select(e => (e.FrameworkId, e.ExecutorId, Task: e.Task.Info, e.Executor.ContainerId, Container: e.Executor.Container!))
                .ToList(),
            snapshot.Frameworks
                .SelectMany(f => f.DefaultExecutors.Values)
                .Select(run => (Run: run, Tasks: run.Tasks
                    .Where(e => e.Executor.Container is not null)
                    .Select(e => (Task: e.Task.Info, e.Executor.ContainerId, Container: e.Executor.Container!))
                    .ToList()))
                .ToList()));

        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var usages = new List<ContainerUsage>();
        foreach (var (frameworkId, executorId, task, containerId, container) in commands)
        {
            usages.Add(new ContainerUsage
            {
                FrameworkId = frameworkId,
                ExecutorId = executorId,
                ExecutorName = $"Command Executor (Task: {task.TaskId}) (Command: sh -c '{task.Command?.Value}')",
                ContainerId = containerId,
                Source = task.TaskId,
                ResourceStatistics = Statistics(now, Usage(container), Scalar(task.Resources, "cpus"), MemoryLimit(container, Scalar(task.Resources, "mem"))),
            });
        }

        var nested = new List<NestedUsage>();
        foreach (var (run, tasks) in defaults)
        {
            // The default executor's container holds its tasks' containers, so it uses what they use together and is
            // limited to its own resources and theirs, as Mesos' agent sizes it.
            var measured = tasks.Select(t => (t.Task, t.ContainerId, Usage: Usage(t.Container), t.Container)).ToList();
            var resources = run.Info.Resources.Concat(tasks.SelectMany(t => t.Task.Resources)).ToList();
            usages.Add(new ContainerUsage
            {
                FrameworkId = run.FrameworkId,
                ExecutorId = run.ExecutorId,
                ExecutorName = run.Info.Name,
                ContainerId = run.ContainerId,
                Source = string.Empty,
                ResourceStatistics = Statistics(now, Sum(measured.Select(m => m.Usage)), Scalar(resources, "cpus"), (long?)(Scalar(resources, "mem") * BytesPerMegabyte)),
            });
            nested.AddRange(measured.Select(m => new NestedUsage(
                m.ContainerId, run.ContainerId, Statistics(now, m.Usage, Scalar(m.Task.Resources, "cpus"), MemoryLimit(m.Container, Scalar(m.Task.Resources, "mem"))))));
        }

        return (usages, nested);
    }

    private static ResourceUsage Usage(IContainer container) =>
        container is IContainerUsage measured ? measured.Usage() : ProcessUsage.OfGroup(container.ProcessGroupId);

    private static long? MemoryLimit(IContainer container, double? memMegabytes) =>
        (container as IContainerUsage)?.MemoryLimitBytes ?? (long?)(memMegabytes * BytesPerMegabyte);

    private static ResourceUsage Sum(IEnumerable<ResourceUsage> usages)
    {
        static double? Add(double? a, double? b) => a is null ? b : b is null ? a : a + b;
        static long? AddLong(long? a, long? b) => a is null ? b : b is null ? a : a + b;
        return usages.Aggregate(
            new ResourceUsage(null, null, null, null, null, null, null, 0),
            (sum, u) => new ResourceUsage(
                Add(sum.CpusUserTimeSecs, u.CpusUserTimeSecs),
                Add(sum.CpusSystemTimeSecs, u.CpusSystemTimeSecs),
                AddLong(sum.MemRssBytes, u.MemRssBytes),
                AddLong(sum.MemTotalBytes, u.MemTotalBytes),
                AddLong(sum.CpusNrPeriods, u.CpusNrPeriods),
                AddLong(sum.CpusNrThrottled, u.CpusNrThrottled),
                Add(sum.CpusThrottledTimeSecs, u.CpusThrottledTimeSecs),
                sum.Processes + u.Processes));
    }

    private static ResourceStatistics Statistics(double timestamp, ResourceUsage usage, double? cpusLimit, long? memLimitBytes)
    {
        var statistics = new ResourceStatistics { Timestamp = timestamp, Processes = (uint)usage.Processes };
        SetIf(usage.CpusUserTimeSecs, v => statistics.CpusUserTimeSecs = v);
        SetIf(usage.CpusSystemTimeSecs, v => statistics.CpusSystemTimeSecs = v);
        SetIf(usage.CpusThrottledTimeSecs, v => statistics.CpusThrottledTimeSecs = v);
        SetIf(usage.CpusNrPeriods, v => statistics.CpusNrPeriods = (uint)v);
        SetIf(usage.CpusNrThrottled, v => statistics.CpusNrThrottled = (uint)v);
        SetIf(usage.MemRssBytes, v => statistics.MemRssBytes = (ulong)v);
        SetIf(usage.MemTotalBytes, v => statistics.MemTotalBytes = (ulong)v);
        SetIf(cpusLimit, v => statistics.CpusLimit = v);
        SetIf(memLimitBytes, v => statistics.MemLimitBytes = (ulong)v);
        return statistics;
    }

    /// <summary>Mesos' JSON: an array of {executor_id, executor_name, framework_id, source, statistics}.</summary>
    public static JsonArray Json(IReadOnlyList<ContainerUsage> usages) => new(usages.Select(u => (JsonNode?)new JsonObject
    {
        ["executor_id"] = u.ExecutorId,
        ["executor_name"] = u.ExecutorName,
        ["framework_id"] = u.FrameworkId,
        ["source"] = u.Source,
        ["statistics"] = Statistics(u.ResourceStatistics),
    }).ToArray());

    private static JsonObject Statistics(ResourceStatistics s)
    {
        var json = new JsonObject { ["timestamp"] = s.Timestamp };
        if (s.HasProcesses)
        {
            json["processes"] = s.Processes;
        }

        if (s.HasCpusUserTimeSecs)
        {
            json["cpus_user_time_secs"] = s.CpusUserTimeSecs;
        }

        if (s.HasCpusSystemTimeSecs)
        {
            json["cpus_system_time_secs"] = s.CpusSystemTimeSecs;
        }

        if (s.HasCpusLimit)
        {
            json["cpus_limit"] = s.CpusLimit;
        }

        if (s.HasCpusNrPeriods)
        {
            json["cpus_nr_periods"] = s.CpusNrPeriods;
        }

        if (s.HasCpusNrThrottled)
        {
            json["cpus_nr_throttled"] = s.CpusNrThrottled;
        }

        if (s.HasCpusThrottledTimeSecs)
        {
            json["cpus_throttled_time_secs"] = s.CpusThrottledTimeSecs;
        }

        if (s.HasMemTotalBytes)
        {
            json["mem_total_bytes"] = s.MemTotalBytes;
        }

        if (s.HasMemRssBytes)
        {
            json["mem_rss_bytes"] = s.MemRssBytes;
        }

        if (s.HasMemLimitBytes)
        {
            json["mem_limit_bytes"] = s.MemLimitBytes;
        }

        return json;
    }

    private static double? Scalar(IEnumerable<Resource> resources, string name)
    {
        var matching = resources.Where(r => r.Name == name && r.Scalar is not null).ToList();
        return matching.Count > 0 ? matching.Sum(r => r.Scalar.Value) : null;
    }

    private static void SetIf<T>(T? value, Action<T> set)
        where T : struct
    {
        if (value is { } v)
        {
            set(v);
        }
    }
}
