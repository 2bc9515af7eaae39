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
    public string StdoutPath => Path.Combine(Sandbox, "stdout");

    public string StderrPath => Path.Combine(Sandbox, "stderr");
}
