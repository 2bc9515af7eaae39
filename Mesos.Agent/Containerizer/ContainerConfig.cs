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

    public string StdoutPath => Path.Combine(Sandbox, "stdout");

    public string StderrPath => Path.Combine(Sandbox, "stderr");
}
