using System.Collections.Immutable;
using Mesos.Core.Ids;
using Mesos.Core.Tasks;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>The ExecutorInfo of tasks launched on custom executors, between the gRPC contract and core types.</summary>
public static class ExecutorMapping
{
    /// <summary>The ExecutorInfo of each task that names one, by task id; a framework id other than the caller's is refused.</summary>
    public static ImmutableDictionary<TaskId, ExecutorInfo> ExecutorsOf(IEnumerable<V1.TaskInfo> tasks, FrameworkId framework)
    {
        var executors = ImmutableDictionary.CreateBuilder<TaskId, ExecutorInfo>();
        foreach (var task in tasks)
        {
            if (task.Executor is { } executor)
            {
                executors[new TaskId(task.TaskId)] = ToCore(executor, framework, $"task '{task.TaskId}'");
            }
        }

        return executors.ToImmutable();
    }

    public static ExecutorInfo ToCore(V1.ExecutorInfo executor, FrameworkId framework, string where)
    {
        if (executor.FrameworkId.Length > 0 && executor.FrameworkId != framework.Value)
        {
            throw new WireFormatException(
                $"{where}: ExecutorInfo has an invalid FrameworkID (Actual: {executor.FrameworkId} vs Expected: {framework.Value})");
        }

        if (executor.Command is null)
        {
            throw new WireFormatException($"{where}: 'ExecutorInfo.command' must be set for a custom executor");
        }

        TimeSpan? grace = executor.HasShutdownGracePeriodNanoseconds
            ? executor.ShutdownGracePeriodNanoseconds >= 0
                ? TimeSpan.FromTicks(executor.ShutdownGracePeriodNanoseconds / 100)
                : throw new WireFormatException($"{where}: executor.shutdown_grace_period must not be negative")
            : null;

        return new ExecutorInfo(
            new ExecutorId(executor.ExecutorId),
            executor.Name,
            ProtoMapping.ToCore(executor.Command),
            ProtoMapping.ToCore(executor.Resources, $"{where} executor '{executor.ExecutorId}' resources"),
            grace);
    }

    public static V1.ExecutorInfo ToWire(ExecutorInfo executor, FrameworkId framework)
    {
        var wire = new V1.ExecutorInfo
        {
            ExecutorId = executor.ExecutorId.Value,
            FrameworkId = framework.Value,
            Name = executor.Name,
            Command = ProtoMapping.ToWire(executor.Command),
        };
        wire.Resources.AddRange(ProtoMapping.ToWire(executor.Resources));
        if (executor.ShutdownGracePeriod is { } grace)
        {
            wire.ShutdownGracePeriodNanoseconds = grace.Ticks * 100;
        }

        return wire;
    }

    /// <summary>A task for a custom executor as the agent receives it: the TaskInfo with its ExecutorInfo.</summary>
    public static V1.TaskInfo ToWire(TaskInfo task, ExecutorInfo executor, FrameworkId framework)
    {
        var wire = ProtoMapping.ToWire(task);
        wire.Executor = ToWire(executor, framework);
        return wire;
    }
}
