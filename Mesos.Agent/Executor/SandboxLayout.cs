namespace Mesos.Agent.Executor;

/// <summary>Mesos' sandbox paths under the work dir: <c>slaves/A/frameworks/F/executors/E/runs/C</c>, plus <c>runs/latest</c>.</summary>
public static class SandboxLayout
{
    public const string SandboxesFolder = "slaves";

    public static string SandboxesRoot(string workDir) => Path.Combine(workDir, SandboxesFolder);

    public static string RunDirectory(string workDir, string agentId, string frameworkId, string executorId, string containerId) =>
        Path.Combine(ExecutorDirectory(workDir, agentId, frameworkId, executorId), "runs", containerId);

    public static string ExecutorDirectory(string workDir, string agentId, string frameworkId, string executorId) =>
        Path.Combine(SandboxesRoot(workDir), CheckSegment(agentId), "frameworks", CheckSegment(frameworkId), "executors", CheckSegment(executorId));

    /// <summary>Creates the run directory with empty stdout/stderr and points <c>runs/latest</c> at it.</summary>
    public static void Create(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        File.AppendAllText(Path.Combine(runDirectory, "stdout"), string.Empty);
        File.AppendAllText(Path.Combine(runDirectory, "stderr"), string.Empty);

        var runs = Path.GetDirectoryName(runDirectory)!;
        var latest = Path.Combine(runs, "latest");
        if (File.Exists(latest) || Directory.Exists(latest) || new FileInfo(latest).LinkTarget is not null)
        {
            File.Delete(latest);
        }

        // Relative, so the link stays right if the work dir is moved or mounted elsewhere.
        File.CreateSymbolicLink(latest, Path.GetFileName(runDirectory));
    }

    /// <summary>A task's sandbox inside its default executor's run, as Mesos' nested containers: <c>runs/C/tasks/T</c>.</summary>
    public static string NestedTaskDirectory(string executorRunDirectory, string taskId) =>
        Path.Combine(executorRunDirectory, "tasks", CheckSegment(taskId));

    /// <summary>Creates a nested task's sandbox with empty stdout/stderr (no <c>latest</c> link: that is the executor run's).</summary>
    public static void CreateNested(string taskDirectory)
    {
        Directory.CreateDirectory(taskDirectory);
        File.AppendAllText(Path.Combine(taskDirectory, "stdout"), string.Empty);
        File.AppendAllText(Path.Combine(taskDirectory, "stderr"), string.Empty);
    }

    /// <summary>Ids become path segments; one that could climb out of its parent is refused rather than escaped.</summary>
    private static string CheckSegment(string id) =>
        id.Length == 0 || id is "." or ".." || id.Contains('/', StringComparison.Ordinal) || id.Contains('\0', StringComparison.Ordinal)
            ? throw new ArgumentException($"'{id}' cannot be used as a directory name")
            : id;
}
