using System.Text.Json;

namespace Mesos.Client;

/// <summary>Finds a task's sandbox in an agent's <c>/state</c> JSON (Mesos' shape: frameworks, executors, tasks).</summary>
public static class AgentSandboxes
{
    private static readonly string[] FrameworkLists = ["frameworks", "completed_frameworks"];
    private static readonly string[] ExecutorLists = ["executors", "completed_executors"];
    private static readonly string[] TaskLists = ["tasks", "queued_tasks", "completed_tasks"];

    /// <summary>
    /// The executor that runs or ran <paramref name="taskId"/>: first one that lists the task, else one whose id is
    /// the task id (a command task's executor takes its task's id). Running executors come before completed ones.
    /// </summary>
    public static AgentSandbox? Find(JsonElement state, string taskId, string? frameworkId = null)
    {
        AgentSandbox? byExecutorId = null;
        foreach (var (framework, executor, completed) in Executors(state))
        {
            var owner = Text(framework, "id");
            if (frameworkId is not null && owner != frameworkId)
            {
                continue;
            }

            var executorId = Text(executor, "id");
            var directory = Text(executor, "directory");
            if (directory is null || owner is null || executorId is null)
            {
                continue;
            }

            if (TaskLists.Any(list => Items(executor, list).Any(task => Text(task, "id") == taskId)))
            {
                return new AgentSandbox(owner, executorId, directory, completed);
            }

            if (executorId == taskId)
            {
                byExecutorId ??= new AgentSandbox(owner, executorId, directory, completed);
            }
        }

        return byExecutorId;
    }

    private static IEnumerable<(JsonElement Framework, JsonElement Executor, bool Completed)> Executors(JsonElement state)
    {
        foreach (var frameworkList in FrameworkLists)
        {
            foreach (var framework in Items(state, frameworkList))
            {
                foreach (var executorList in ExecutorLists)
                {
                    foreach (var executor in Items(framework, executorList))
                    {
                        yield return (framework, executor, frameworkList != "frameworks" || executorList != "executors");
                    }
                }
            }
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : [];

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
