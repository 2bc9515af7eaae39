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
        if (config.Shell)
        {
            start.ArgumentList.Add(ShellScript);
            start.ArgumentList.Add(config.StdoutPath);
            start.ArgumentList.Add(config.StderrPath);
            start.ArgumentList.Add(config.Command);
        }
        else
        {
            start.ArgumentList.Add(ExecScript);
            start.ArgumentList.Add(config.StdoutPath);
            start.ArgumentList.Add(config.StderrPath);
            start.ArgumentList.Add(config.Command);

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
