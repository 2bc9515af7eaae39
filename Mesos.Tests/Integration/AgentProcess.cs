using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mesos.Tests.Integration;

/// <summary>
/// The agent as a real process (`mesos agent`), so a test can kill it with SIGKILL and start it again on the same
/// work_dir. Its tasks are not its children for long: they run under their own supervisors and outlive it.
/// </summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private AgentProcess(Process process) => this.process = process;

    public IReadOnlyCollection<string> Lines => lines;

    public static AgentProcess Start(int masterPort, string workDir, params string[] extraFlags)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "exec",
            "--runtimeconfig", Path.Combine(AppContext.BaseDirectory, "Mesos.Tests.runtimeconfig.json"),
            "--depsfile", Path.Combine(AppContext.BaseDirectory, "Mesos.Tests.deps.json"),
            Path.Combine(AppContext.BaseDirectory, "mesos.dll"),
            "agent", $"--master=127.0.0.1:{masterPort}", "--port=0", "--ip=127.0.0.1", "--hostname=127.0.0.1", $"--work_dir={workDir}",
            "--resources=cpus:4;mem:2048;disk:1000;ports:[31000-32000]", "--registration_backoff_factor=100ms",
        }.Concat(extraFlags))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) agent.lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) agent.lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    public async Task<Match> WaitForLineAsync(Regex pattern, CancellationToken ct)
    {
        while (true)
        {
            var match = lines.Select(line => pattern.Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                return match;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"the agent exited with code {process.ExitCode} before printing /{pattern}/:\n{string.Join("\n", lines)}");
            }

            await Task.Delay(50, ct);
        }
    }

    /// <summary>SIGKILL (9) gives the agent no chance to do anything, as in a crash; SIGTERM (15) lets it stop.</summary>
    public async Task SignalAndWaitAsync(int signal)
    {
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed");
        }

        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // Only the agent itself: its tasks are cleaned up by the test, from their checkpointed process groups.
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    [GeneratedRegex(@"(Registered|Re-registered) with master \S+ as agent (\S+)")]
    public static partial Regex RegisteredLine();

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
