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

    public static IReadOnlyList<ContainerUsage> Collect(AgentCore core, TimeProvider time)
    {
        // Under the lock only the list is taken; /proc and cgroup files are read after it.
        var running = core.Read(snapshot => snapshot.Frameworks
            .SelectMany(f => f.Executors.Values)
            .Select(e => (e.FrameworkId, e.ExecutorId, Task: e.Task.Info, e.Executor.ContainerId, e.Executor.Container))
            .Where(e => e.Container is not null)
            .ToList());

        var usages = new List<ContainerUsage>();
        foreach (var (frameworkId, executorId, task, containerId, container) in running)
        {
            var usage = container is IContainerUsage measured ? measured.Usage() : ProcessUsage.OfGroup(container!.ProcessGroupId);
            var statistics = new ResourceStatistics
            {
                Timestamp = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
                Processes = (uint)usage.Processes,
            };
            SetIf(usage.CpusUserTimeSecs, v => statistics.CpusUserTimeSecs = v);
            SetIf(usage.CpusSystemTimeSecs, v => statistics.CpusSystemTimeSecs = v);
            SetIf(usage.CpusThrottledTimeSecs, v => statistics.CpusThrottledTimeSecs = v);
            SetIf(usage.CpusNrPeriods, v => statistics.CpusNrPeriods = (uint)v);
            SetIf(usage.CpusNrThrottled, v => statistics.CpusNrThrottled = (uint)v);
            SetIf(usage.MemRssBytes, v => statistics.MemRssBytes = (ulong)v);
            SetIf(usage.MemTotalBytes, v => statistics.MemTotalBytes = (ulong)v);
            SetIf(Scalar(task, "cpus"), v => statistics.CpusLimit = v);
            SetIf((container as IContainerUsage)?.MemoryLimitBytes ?? (long?)(Scalar(task, "mem") * BytesPerMegabyte), v => statistics.MemLimitBytes = (ulong)v);
            usages.Add(new ContainerUsage
            {
                FrameworkId = frameworkId,
                ExecutorId = executorId,
                ExecutorName = $"Command Executor (Task: {task.TaskId}) (Command: sh -c '{task.Command?.Value}')",
                ContainerId = containerId,
                Source = task.TaskId,
                ResourceStatistics = statistics,
            });
        }

        return usages;
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

    private static double? Scalar(TaskInfo task, string name)
    {
        var matching = task.Resources.Where(r => r.Name == name && r.Scalar is not null).ToList();
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
