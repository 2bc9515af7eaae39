using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Core.Tasks;

namespace Mesos.Core.Decisions;

/// <summary>
/// Mesos' master validation of a task's executor (<c>validation::task::internal::validateExecutor</c> and
/// <c>validateExecutorInfo</c>): a task has a command or an ExecutorInfo, never both; an executor id names one
/// ExecutorInfo per framework and agent, whether the executor already runs or was named earlier in the same call.
/// </summary>
public static class ExecutorValidation
{
    public static DecideError? Validate(
        ClusterState state,
        FrameworkId frameworkId,
        TaskInfo task,
        ExecutorInfo? executor,
        IReadOnlyDictionary<ExecutorId, ExecutorInfo> launchedInThisCall)
    {
        if ((task.Command is null) == (executor is null))
        {
            return Invalid("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present");
        }

        if (executor is null)
        {
            return null;
        }

        var id = executor.ExecutorId.Value;
        if (string.IsNullOrWhiteSpace(id))
        {
            return Invalid($"Task '{task.TaskId}': 'ExecutorInfo.executor_id' must not be empty");
        }

        if (id.Any(ch => char.IsControl(ch) || ch == '/') || id is "." or "..")
        {
            return Invalid($"Task '{task.TaskId}': executor id '{id}' contains '/', a control character, or is '.' or '..'");
        }

        if (string.IsNullOrEmpty(executor.Command.Value) && executor.Command.Arguments.Count == 0)
        {
            return Invalid($"Task '{task.TaskId}': executor '{id}' has no command ('ExecutorInfo.command' must be set for a custom executor)");
        }

        if (executor.Resources.IsEmpty && task.Resources.IsEmpty)
        {
            return Invalid($"Task '{task.TaskId}' and its executor '{id}' use no resources");
        }

        var existing = launchedInThisCall.GetValueOrDefault(executor.ExecutorId)
            ?? state.Executors.GetValueOrDefault(new ExecutorKey(frameworkId, task.AgentId, executor.ExecutorId))?.Info;
        if (existing is not null && existing != executor)
        {
            return Invalid($"Task '{task.TaskId}': ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID '{id}' on agent '{task.AgentId}'");
        }

        return null;
    }

    private static DecideError Invalid(string message) => new(DecideErrorKind.InvalidArgument, message);
}
