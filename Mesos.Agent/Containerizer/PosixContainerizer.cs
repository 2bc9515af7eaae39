using System.ComponentModel;
using System.Diagnostics;

namespace Mesos.Agent.Containerizer;

/// <summary>
/// Runs each container as its own session and process group (via <c>setsid</c>), with stdout and stderr
/// appended to files in the sandbox. No isolation beyond that: the equivalent of Mesos' posix launcher.
/// </summary>
public sealed class PosixContainerizer : IContainerizer
{
    // $0 and $1 are the output files, so the command itself reaches the inner shell untouched: no quoting.
    private const string ShellScript = "exec >>\"$0\" 2>>\"$1\" </dev/null; exec /bin/sh -c \"$2\"";
    private const string ExecScript = "exec >>\"$0\" 2>>\"$1\" </dev/null; shift; exec \"$@\"";

    // The supervisor: the process group's leader runs the task as its child and outlives the agent (it is in its
    // own session, reparented to init if the agent dies). It records the task's exit code ($? of wait, 128+N for
    // signal N) by rename, so a reader never sees half of it. Its TERM trap is a handler, not "ignore", so the
    // task still gets the default action; the loop waits again when the trap, not the task's end, woke it.
    private const string SupervisorPrologue =
        "exec >>\"$0\" 2>>\"$1\" </dev/null; s=\"$2\"; shift 2; trap : TERM INT HUP; ";

    private const string SupervisorEpilogue =
        " p=$!; while :; do wait $p; r=$?; kill -0 $p 2>/dev/null || break; done; " +
        "printf '%s\\n' $r >\"$s.tmp\" && mv -f \"$s.tmp\" \"$s\"; exit $r";

    private const string SupervisedShellScript = SupervisorPrologue + "/bin/sh -c \"$1\" &" + SupervisorEpilogue;
    private const string SupervisedExecScript = SupervisorPrologue + "\"$@\" &" + SupervisorEpilogue;

    private static readonly string[] SetsidCandidates = ["/usr/bin/setsid", "/bin/setsid"];

    public async Task<IContainer> LaunchAsync(ContainerConfig config, CancellationToken cancellationToken)
    {
        var setsid = SetsidCandidates.FirstOrDefault(File.Exists)
            ?? throw new ContainerLaunchException("setsid (util-linux) is not installed: cannot give the task its own process group");

        if (!Directory.Exists(config.Sandbox))
        {
            throw new ContainerLaunchException($"Sandbox '{config.Sandbox}' does not exist");
        }

        var start = new ProcessStartInfo(setsid)
        {
            UseShellExecute = false,
            WorkingDirectory = config.Sandbox,
        };
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        var supervised = config.ExitStatusPath is not null;
        start.ArgumentList.Add((config.Shell, supervised) switch
        {
            (true, true) => SupervisedShellScript,
            (true, false) => ShellScript,
            (false, true) => SupervisedExecScript,
            (false, false) => ExecScript,
        });
        start.ArgumentList.Add(config.StdoutPath);
        start.ArgumentList.Add(config.StderrPath);
        if (config.ExitStatusPath is { } exitStatusPath)
        {
            start.ArgumentList.Add(exitStatusPath);
        }

        start.ArgumentList.Add(config.Command);
        if (!config.Shell)
        {
            // Mesos passes argv whole, argv[0] included; a POSIX shell cannot set argv[0], so it is skipped.
            foreach (var argument in config.Arguments.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.Environment.Clear();
        foreach (var (name, value) in config.Environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ContainerLaunchException("Failed to start the task's process");
        }
        catch (Win32Exception e)
        {
            throw new ContainerLaunchException($"Failed to start the task's process: {e.Message}", e);
        }

        var container = new PosixContainer(config.ContainerId, process);
        await container.WaitUntilOwnGroupAsync(cancellationToken).ConfigureAwait(false);
        return container;
    }
}
