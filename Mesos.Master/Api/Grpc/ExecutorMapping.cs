using System.Collections.Immutable;
using Mesos.Core.Collections;
using Mesos.Core.Decisions;
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

    /// <summary>
    /// A LAUNCH_GROUP operation as the core takes it. The checks Mesos makes of a task group (type, command, the
    /// tasks' own ExecutorInfo) are the core's, so that every edge reports them alike; only the framework id and the
    /// shapes the core cannot hold are refused here.
    /// </summary>
    public static TaskGroupLaunch GroupOf(V1.LaunchGroup group, FrameworkId framework)
    {
        var executor = group.Executor ?? throw new WireFormatException("launch_group: 'executor' must be set");
        var where = $"executor '{executor.ExecutorId}'";
        if (executor.FrameworkId.Length > 0 && executor.FrameworkId != framework.Value)
        {
            throw new WireFormatException(
                $"{where}: ExecutorInfo has an invalid FrameworkID (Actual: {executor.FrameworkId} vs Expected: {framework.Value})");
        }

        var info = new ExecutorInfo(
            new ExecutorId(executor.ExecutorId),
            executor.Name,
            executor.Command is { } command ? ProtoMapping.ToCore(command) : TaskGroupDecisions.NoCommand,
            ProtoMapping.ToCore(executor.Resources, $"{where} resources"),
            GracePeriod(executor, where));
        var taskExecutors = ImmutableDictionary.CreateBuilder<TaskId, ExecutorInfo>();
        foreach (var task in group.Tasks.Where(t => t.Executor is not null))
        {
            var named = task.Executor;
            taskExecutors[new TaskId(task.TaskId)] = new ExecutorInfo(
                new ExecutorId(named.ExecutorId),
                named.Name,
                named.Command is { } c ? ProtoMapping.ToCore(c) : TaskGroupDecisions.NoCommand,
                ProtoMapping.ToCore(named.Resources, $"task '{task.TaskId}' executor resources"),
                GracePeriod(named, $"task '{task.TaskId}' executor"));
        }

        return new TaskGroupLaunch(
            info,
            executor.HasType ? (ExecutorType)(int)executor.Type : null,
            executor.Command is not null,
            ValueArray.From(group.Tasks.Select(t => ProtoMapping.ToCore(t, inGroup: true))),
            ValueArray.From(group.Tasks.Select(ProtoMapping.ToCoreDetails)))
        {
            TaskExecutors = taskExecutors.ToImmutable(),
        };
    }

    private static TimeSpan? GracePeriod(V1.ExecutorInfo executor, string where) =>
        executor.HasShutdownGracePeriodNanoseconds
            ? executor.ShutdownGracePeriodNanoseconds >= 0
                ? TimeSpan.FromTicks(executor.ShutdownGracePeriodNanoseconds / 100)
                : throw new WireFormatException($"{where}: executor.shutdown_grace_period must not be negative")
            : null;

    /// <summary>The ExecutorInfo the agent receives with a task group, typed.</summary>
    public static V1.ExecutorInfo ToWire(ExecutorInfo executor, ExecutorType type, FrameworkId framework)
    {
        var wire = ToWire(executor, framework);
        wire.Type = (V1.ExecutorInfo.Types.Type)(int)type;
        if (type == ExecutorType.Default)
        {
            wire.Command = null;
        }

        return wire;
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
