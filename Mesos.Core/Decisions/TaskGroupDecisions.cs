using System.Collections.Immutable;
using System.Globalization;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;

namespace Mesos.Core.Decisions;

/// <summary>
/// LAUNCH_GROUP, as Mesos' master validates it (<c>validation::task::group::validate</c>): each task as any task, and
/// not naming another executor; the executor typed, DEFAULT without a command and CUSTOM with one, with at least
/// Mesos' minimum cpus and memory and some disk, compatible with the executor of that id already on the agent; and
/// the tasks with the executor (when new) within what is left of the offers. A group is launched whole or not at all.
/// </summary>
public static class TaskGroupDecisions
{
    /// <summary>Mesos' <c>MIN_CPUS</c> and <c>MIN_MEM</c> for an executor.</summary>
    public static readonly ScalarValue MinCpus = ScalarValue.FromDouble(0.01);

    public static readonly ScalarValue MinMemMegabytes = ScalarValue.FromDouble(32);

    /// <summary>The empty command a DEFAULT executor carries: the agent runs it, not a command of the framework's.</summary>
    public static readonly CommandInfo NoCommand = new(string.Empty, true, [], [], null);

    public static (ImmutableArray<ClusterEvent> Events, ResourceSet Remaining, DecideError? Error) Launch(
        ClusterState state,
        FrameworkState framework,
        IEnumerable<TaskGroupLaunch> groups,
        AgentId agentId,
        OfferId offerId,
        ResourceSet remaining,
        HashSet<TaskId> seen,
        Dictionary<ExecutorId, ExecutorInfo> launchedExecutors,
        string principal,
        DateTimeOffset now)
    {
        var events = ImmutableArray.CreateBuilder<ClusterEvent>();
        foreach (var group in groups)
        {
            if (group.Tasks.Count == 0)
            {
                return Fail("Task group must contain at least one task");
            }

            var tasks = group.Tasks.Select(t => t.AgentId.Value is null or "" ? t with { AgentId = agentId } : t).ToList();
            foreach (var task in tasks)
            {
                var error = ClusterDecider.ValidateTask(state, framework, task, agentId, seen);
                if (error is null && task.Command is null && group.Type == ExecutorType.Default)
                {
                    error = Invalid("'TaskInfo.command' must be set for a task of the DEFAULT executor");
                }

                if (error is not null)
                {
                    return Fail($"Task '{task.TaskId}' is invalid: {error.Message}");
                }
            }

            if (ValidateExecutor(state, framework.Id, agentId, group, launchedExecutors) is { } invalidExecutor)
            {
                return (ImmutableArray<ClusterEvent>.Empty, remaining, invalidExecutor);
            }

            for (var i = 0; i < tasks.Count; i++)
            {
                var details = i < group.Details.Count ? group.Details[i] : TaskLaunchDetails.None;
                if (ClusterDecider.ValidateDetails(tasks[i], details) is { } invalidDetails)
                {
                    return (ImmutableArray<ClusterEvent>.Empty, remaining, invalidDetails);
                }
            }

            var executor = group.Executor;
            var isNew = !launchedExecutors.ContainsKey(executor.ExecutorId)
                && !state.Executors.ContainsKey(new ExecutorKey(framework.Id, agentId, executor.ExecutorId));
            var total = tasks.Aggregate(ResourceSet.Empty, (sum, t) => sum + t.Resources);
            if (isNew)
            {
                total += executor.Resources;
            }

            if (!remaining.Contains(total))
            {
                return Fail($"Total resources {total} required by task group and its executor are more than available {remaining}");
            }

            remaining -= total;
            launchedExecutors[executor.ExecutorId] = executor;
            var aligned = tasks.Select((_, i) => i < group.Details.Count ? group.Details[i] : TaskLaunchDetails.None);
            events.Add(new TaskGroupLaunched(framework.Id, executor, group.Type!.Value, [.. tasks], [.. aligned], offerId) { At = now, Principal = principal });
        }

        return (events.ToImmutable(), remaining, null);

        (ImmutableArray<ClusterEvent>, ResourceSet, DecideError?) Fail(string message) =>
            (ImmutableArray<ClusterEvent>.Empty, remaining, Invalid(message));
    }

    private static DecideError? ValidateExecutor(
        ClusterState state, FrameworkId frameworkId, AgentId agentId, TaskGroupLaunch group, Dictionary<ExecutorId, ExecutorInfo> launchedExecutors)
    {
        var executor = group.Executor;
        var id = executor.ExecutorId.Value;
        if (string.IsNullOrWhiteSpace(id))
        {
            return Invalid("'ExecutorInfo.executor_id' must not be empty");
        }

        if (id.Any(ch => char.IsControl(ch) || ch is '/' or '\\') || id is "." or "..")
        {
            return Invalid($"Executor id '{id}' contains '/', '\\', a control character, or is '.' or '..'");
        }

        switch (group.Type)
        {
            case null:
                return Invalid("'ExecutorInfo.type' must be set");
            case ExecutorType.Default when group.ExecutorHasCommand:
                return Invalid("'ExecutorInfo.command' must not be set for 'DEFAULT' executor");
            case ExecutorType.Custom when !group.ExecutorHasCommand
                || (string.IsNullOrEmpty(executor.Command.Value) && executor.Command.Arguments.Count == 0):
                return Invalid("'ExecutorInfo.command' must be set for 'CUSTOM' executor");
            case ExecutorType.Default or ExecutorType.Custom:
                break;
            default:
                return Invalid("Unknown executor type");
        }

        foreach (var (taskId, named) in group.TaskExecutors)
        {
            if (named != executor)
            {
                return Invalid($"The `ExecutorInfo` of task '{taskId}' is different from executor '{id}'");
            }
        }

        var cpus = executor.Resources.Scalar("cpus");
        if (cpus < MinCpus)
        {
            return Invalid($"Executor '{id}' uses less CPUs ({Amount(cpus)}) than the minimum required (0.01)");
        }

        var mem = executor.Resources.Scalar("mem");
        if (mem < MinMemMegabytes)
        {
            return Invalid($"Executor '{id}' uses less memory ({(mem.IsPositive ? Amount(mem) + "MB" : "None")}) than the minimum required (32MB)");
        }

        if (!executor.Resources.Entries.Any(r => r.Name == "disk"))
        {
            return Invalid($"Executor '{id}' uses no disk");
        }

        var existing = launchedExecutors.GetValueOrDefault(executor.ExecutorId) is { } launched
            ? (Info: launched, Type: (ExecutorType?)null)
            : state.Executors.GetValueOrDefault(new ExecutorKey(frameworkId, agentId, executor.ExecutorId)) is { } record
                ? (record.Info, record.Type)
                : default;
        if (existing.Info is not null && (existing.Info != executor || (existing.Type is { } type && type != group.Type)))
        {
            return Invalid($"ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID '{id}' on agent '{agentId}'");
        }

        return null;
    }

    private static string Amount(ScalarValue value) =>
        value.IsPositive ? value.ToDouble().ToString(CultureInfo.InvariantCulture) : "None";

    private static DecideError Invalid(string message) => new(DecideErrorKind.InvalidArgument, message);
}
