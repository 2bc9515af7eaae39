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
    private const string Redirect = "exec >>\"$0\" 2>>\"$1\" </dev/null; ";

    // Before anything else the leader joins the container's cgroups, so all it starts is born inside them; a
    // failure to join is a launch failure (exit 125 without a task), not a task running unconfined.
    private const string EnterCgroups =
        "for f in $MESOS_ENTER_CGROUPS_; do echo $$ >\"$f\" || exit 125; done; unset MESOS_ENTER_CGROUPS_; ";

    // The supervisor: the process group's leader runs the task as its child and outlives the agent (it is in its
    // own session, reparented to init if the agent dies). It records the task's exit code ($? of wait, 128+N for
    // signal N) by rename, so a reader never sees half of it. Its TERM trap is a handler, not "ignore", so the
    // task still gets the default action; the loop waits again when the trap, not the task's end, woke it.
    private const string SupervisorPrologue = "s=\"$2\"; shift 2; trap : TERM INT HUP; ";

    private const string SupervisorEpilogue =
        " & p=$!; while :; do wait $p; r=$?; kill -0 $p 2>/dev/null || break; done; " +
        "printf '%s\\n' $r >\"$s.tmp\" && mv -f \"$s.tmp\" \"$s\"; exit $r";

    internal const string CgroupsVariable = "MESOS_ENTER_CGROUPS_";

    private static readonly string[] SetprivCandidates = ["/usr/bin/setpriv", "/bin/setpriv"];

    /// <summary>The leader's script: after it, $1 is the command (shell) or "$@" the argv (exec).</summary>
    internal static string Script(bool shell, bool supervised, bool cgroups, string? setpriv, TaskUser? user)
    {
        var run = (user is null || setpriv is null
                ? string.Empty
                : $"{setpriv} --reuid={user.Uid} --regid={user.Gid} --init-groups -- ")
            + (shell ? "/bin/sh -c \"$1\"" : "\"$@\"");
        var head = Redirect + (cgroups ? EnterCgroups : string.Empty);
        return supervised
            ? head + SupervisorPrologue + run + SupervisorEpilogue
            : head + "shift 2; exec " + run;
    }

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
        string? setpriv = null;
        if (config.RunAs is not null)
        {
            setpriv = SetprivCandidates.FirstOrDefault(File.Exists)
                ?? throw new ContainerLaunchException($"setpriv (util-linux) is not installed: cannot run the task as user '{config.RunAs.Name}'");
        }

        start.ArgumentList.Add(Script(config.Shell, supervised, config.EnterCgroups.Count > 0, setpriv, config.RunAs));
        start.ArgumentList.Add(config.StdoutPath);
        start.ArgumentList.Add(config.StderrPath);
        if (config.ExitStatusPath is { } exitStatusPath)
        {
            start.ArgumentList.Add(exitStatusPath);
        }
        else
        {
            // Unsupervised, a placeholder keeps the command at the same position.
            start.ArgumentList.Add("-");
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

        if (config.EnterCgroups.Count > 0)
        {
            start.Environment[CgroupsVariable] = string.Join(' ', config.EnterCgroups);
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
