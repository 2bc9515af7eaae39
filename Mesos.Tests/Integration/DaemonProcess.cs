using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mesos.Tests.Integration;

/// <summary>
/// A `mesos` daemon (master or agent) as a real child process: its output lines are kept for assertions, and a
/// test can wait for a line, send it a signal, and wait for it to exit.
/// </summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly string name;

    private DaemonProcess(Process process, string name)
    {
        this.process = process;
        this.name = name;
    }

    public IReadOnlyCollection<string> Lines => lines;

    public bool HasExited => process.HasExited;

    /// <summary>Starts `mesos <paramref name="arguments"/>` from the mesos.dll copied beside the tests.</summary>
    public static DaemonProcess Start(string name, IEnumerable<string> arguments)
    {
        var process = new Process { StartInfo = SiblingProcess.StartInfo(Path.Combine(AppContext.BaseDirectory, "mesos.dll"), arguments) };
        var daemon = new DaemonProcess(process, name);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) daemon.lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) daemon.lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
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
                throw new InvalidOperationException($"the {name} exited with code {process.ExitCode} before printing /{pattern}/:\n{string.Join("\n", lines)}");
            }

            await Task.Delay(50, ct);
        }
    }

    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed");
        }
    }

    public async Task<int> WaitForExitAsync(CancellationToken ct = default)
    {
        await process.WaitForExitAsync(ct);
        return process.ExitCode;
    }

    /// <summary>Kills the daemon if it still runs; with <paramref name="entireTree"/> false, what it started is left alone.</summary>
    public async Task KillAsync(bool entireTree)
    {
        if (!process.HasExited)
        {
            process.Kill(entireTree);
            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => process.Dispose();

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
