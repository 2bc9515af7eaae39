namespace Mesos.Agent.Containerizer;

/// <summary>
/// What to run and where. With <see cref="Shell"/> the command is <c>/bin/sh -c Command</c>; without it
/// <see cref="Command"/> is the executable and <see cref="Arguments"/> its argv (argv[0] first, as in Mesos).
/// </summary>
public sealed record ContainerConfig(
    string ContainerId,
    string Sandbox,
    bool Shell,
    string Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// Where the container's supervisor writes the task's exit code when it ends, so an agent that was not there
    /// to see it (restarted meanwhile) can still learn it. Null runs the task without a supervisor.
    /// </summary>
    public string? ExitStatusPath { get; init; }

    /// <summary>
    /// <c>cgroup.procs</c> files the supervisor writes its own pid to before it starts the task, so that every process
    /// of the container, the first included, is born in its cgroups. Paths must not contain white space.
    /// </summary>
    public IReadOnlyList<string> EnterCgroups { get; init; } = [];

    /// <summary>Runs the task (not its supervisor, which stays root to write the exit status) as this user; null: as the agent.</summary>
    public TaskUser? RunAs { get; init; }

    /// <summary>The task's cpus and mem (MB), for isolators that enforce them; null when the task has none.</summary>
    public double? Cpus { get; init; }

    public double? MemoryMegabytes { get; init; }

    public string StdoutPath => Path.Combine(Sandbox, "stdout");

    public string StderrPath => Path.Combine(Sandbox, "stderr");
}
